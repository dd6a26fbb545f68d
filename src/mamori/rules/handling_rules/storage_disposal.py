"""Storage (統一基準(H30) 3.1.1(4)(d)), external media (R7 3.1.1(4)(e), H30 8.1.1(1)(d)),
copies inheriting the classification (R7 3.1.1(3)(b)) and erasure and disposal (R7 3.1.1(7)).
"""

from __future__ import annotations

from mamori.rules.handling_rules.base import Facts, Partial, partial, rule
from mamori.rules.refs import TOITSU_H30, TOITSU_R7, cite

MEDIA_ACTIONS = ["carry_outside", "forward", "provide", "send", "use_external_media"]


STORE_ACCESS = partial(
    "store_access_restriction",
    "allow_with_measures",
    cite(TOITSU_H30, "3.1.1(4)(d)"),
    "要機密情報を保存するときは、保存先にアクセス制限を設定するなど、格付と取扱制限に従って管理してください。",
    "When you store confidential information, manage it according to its classification "
    "and restrictions, for example by setting access restrictions where it is kept.",
    measures=["access_restriction"],
)


@rule(
    "store_access_restriction",
    rulebook="toitsu",
    actions=["store", "use_external_media"],
    reads=["confidentiality"],
    requires=["kimitsu"],
)
def store_access_restriction(f: Facts) -> Partial | None:
    return STORE_ACCESS if f.kimitsu else None


CORP_C3_STORE = partial(
    "corp_c3_store_measures",
    "allow_with_measures",
    cite(TOITSU_H30, "3.1.1(4)(d)"),
    "独立行政法人・指定法人では、機密性３情報を機器等に保存するときは、インターネットにつながらない機器を使い、暗号化し、盗難や不正な持ち出しから物理的に守ってください。",
    "At incorporated administrative agencies and designated corporations, "
    "confidentiality-3 information is stored only on equipment not connected to the "
    "internet, encrypted, and physically protected against theft and removal.",
    measures=["offline_device", "encrypt", "physical_protection"],
)


@rule(
    "corp_c3_store_measures",
    rulebook="toitsu",
    actions=["store", "use_external_media"],
    reads=["org_kind", "confidentiality", "medium"],
    requires=["corp", "kimitsu", "high", "electronic"],
)
def corp_c3_store_measures(f: Facts) -> Partial | None:
    return CORP_C3_STORE if f.corp and f.c3 and f.electronic else None


MEDIA_PROCEDURE = partial(
    "external_media_procedure",
    "allow_with_measures",
    cite(TOITSU_R7, "3.1.1(4)(e)"),
    "USBメモリ等の外部電磁的記録媒体で情報を扱うときは、定められた利用手順に従ってください。",
    "Follow the set procedure when you handle information on a USB stick or other external medium.",
    measures=["follow_procedure"],
)


@rule(
    "external_media_procedure",
    rulebook="toitsu",
    actions=MEDIA_ACTIONS,
    reads=["medium", "channel"],
    requires=["on_medium"],
)
def external_media_procedure(f: Facts) -> Partial | None:
    return MEDIA_PROCEDURE if f.on_medium else None


MEDIA_UNREGISTERED = partial(
    "external_media_unregistered_deny",
    "deny",
    cite(TOITSU_H30, "8.1.1(1)(d)(ア)"),
    "使えるUSBメモリ等は、組織が支給したもの（又は取決めのある外部の組織から受け取ったもの）だけです。登録されていない媒体は使えません。",
    "Only external media issued by your organisation (or received from an outside body "
    "bound by agreement) may be used; this medium is not registered.",
)


@rule(
    "external_media_unregistered_deny",
    rulebook="toitsu",
    actions=[*MEDIA_ACTIONS, "store"],
    reads=["media", "medium", "channel"],
)
def external_media_unregistered_deny(f: Facts) -> Partial | None:
    if f.media != "unregistered":
        return None
    return MEDIA_UNREGISTERED if f.action == "store" or f.on_medium else None


INHERIT = partial(
    "copy_inherits_classification",
    "allow_with_measures",
    cite(TOITSU_R7, "3.1.1(3)(b)"),
    "複製・印刷したものには、元の情報の機密性の格付と取扱制限を引き継いで表示してください。",
    "Copies and printouts carry the original's confidentiality classification and "
    "handling restrictions: mark them.",
    measures=["inherit_classification"],
)


@rule("copy_inherits_classification", rulebook="toitsu", actions=["copy", "print"], reads=[])
def copy_inherits_classification(f: Facts) -> Partial | None:
    return INHERIT


ERASE = partial(
    "dispose_electronic_erase",
    "allow_with_measures",
    cite(TOITSU_R7, "3.1.1(7)(b)"),
    "電磁的記録媒体を廃棄するときは、情報が残らないよう、全ての情報を復元できないように抹消してください。",
    "Before an electronic medium is disposed of, erase everything on it beyond recovery.",
    measures=["erase_completely"],
)


@rule(
    "dispose_electronic_erase",
    rulebook="toitsu",
    actions=["dispose"],
    reads=["medium"],
    requires=["electronic"],
)
def dispose_electronic_erase(f: Facts) -> Partial | None:
    return ERASE if f.electronic else None


SHRED = partial(
    "dispose_paper_unrecoverable",
    "allow_with_measures",
    cite(TOITSU_R7, "3.1.1(7)(c)"),
    "要機密情報の書面を廃棄するときは、シュレッダーで裁断するなど復元できない状態にしてください。",
    "Paper holding confidential information is destroyed so it cannot be restored "
    "(shred it, for example).",
    measures=["make_unrecoverable"],
)


@rule(
    "dispose_paper_unrecoverable",
    rulebook="toitsu",
    actions=["dispose"],
    reads=["medium", "confidentiality"],
    requires=["kimitsu"],
)
def dispose_paper_unrecoverable(f: Facts) -> Partial | None:
    return SHRED if f.kimitsu and not f.electronic else None
