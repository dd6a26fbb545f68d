"""Working outside the controlled area (統一基準(R7) 3.1.1(4)(b)(c)), terminals issued and
not issued (R7 8.1.1(4), 6.1.3(4); H30 8.1.1(3)(j)) and cloud services (R7 8.1.1(3)(h),
8.1.1(10), 4.2.3(2)(a)).

`location` is where the work happens. Working at a terminal outside the area is
processing outside it whatever the action (storing, copying, sending from there …);
handing a medium to a courier is carrying, not processing, and is left to carry_send.
"""

from __future__ import annotations

from mamori.rules.handling_rules.base import PROCESSING, Facts, Partial, partial, rule
from mamori.rules.refs import TOITSU_H30, TOITSU_R7, cite

TERMINAL_ACTIONS = sorted(PROCESSING | {"carry_device_outside"})


_OUTSIDE_READS = ["location", "channel"]

OUTSIDE_C3 = partial(
    "outside_c3_needs_section_officer",
    "needs_permission",
    cite(TOITSU_R7, "3.1.1(4)(b)"),
    "機密性３情報を要管理対策区域の外で扱うには、課室情報セキュリティ責任者の許可が必要です。",
    "Working on confidentiality-3 information outside the controlled area needs the "
    "Division Information Security Officer's permission.",
    permission_from=["section_isec_officer"],
)


@rule(
    "outside_c3_needs_section_officer",
    rulebook="toitsu",
    actions=sorted(PROCESSING),
    reads=["confidentiality", *_OUTSIDE_READS],
    requires=["kimitsu", "high", "outside"],
)
def outside_c3_needs_section_officer(f: Facts) -> Partial | None:
    return OUTSIDE_C3 if f.c3 and f.outside else None


OUTSIDE_SAFETY = partial(
    "outside_protected_safety",
    "allow_with_measures",
    cite(TOITSU_R7, "3.1.1(4)(c)"),
    "要保護情報を要管理対策区域の外で扱うときは、定められた安全管理措置を講じてください。",
    "When you work on protected information outside the controlled area, take the "
    "prescribed safety measures.",
    measures=["safety_measures"],
)


@rule(
    "outside_protected_safety",
    rulebook="toitsu",
    actions=sorted(PROCESSING),
    reads=["protected", *_OUTSIDE_READS],
    requires=["protected", "outside"],
)
def outside_protected_safety(f: Facts) -> Partial | None:
    return OUTSIDE_SAFETY if f.protected and f.outside else None


_TERMINAL_READS = ["terminal", "location", "channel"]

ISSUED_PROCEDURE = partial(
    "issued_terminal_outside_procedure",
    "allow_with_measures",
    cite(TOITSU_R7, "8.1.1(4)(a)"),
    "支給された端末を要管理対策区域の外で使って要保護情報を扱うときは、定められた利用手順に従ってください。",
    "When you use an issued terminal outside the controlled area for protected "
    "information, follow the procedure your organisation has set.",
    measures=["follow_procedure"],
)


@rule(
    "issued_terminal_outside_procedure",
    rulebook="toitsu",
    actions=TERMINAL_ACTIONS,
    reads=["protected", *_TERMINAL_READS],
    requires=["protected", "issued_outside"],
)
def issued_terminal_outside_procedure(f: Facts) -> Partial | None:
    return ISSUED_PROCEDURE if f.protected and f.issued_outside else None


ISSUED_PERMISSION = partial(
    "issued_terminal_outside_permission",
    "needs_permission",
    cite(TOITSU_R7, "8.1.1(4)(b)(ア)"),
    "支給された端末を要管理対策区域の外で使って機密性３・要保全・要安定の情報を扱うには、課室情報セキュリティ責任者の許可が必要です。",
    "Using an issued terminal outside the controlled area for confidentiality-3, "
    "integrity-critical or availability-critical information needs the Division "
    "Information Security Officer's permission.",
    permission_from=["section_isec_officer"],
)


@rule(
    "issued_terminal_outside_permission",
    rulebook="toitsu",
    actions=TERMINAL_ACTIONS,
    reads=["high", *_TERMINAL_READS],
    requires=["high", "issued_outside"],
)
def issued_terminal_outside_permission(f: Facts) -> Partial | None:
    return ISSUED_PERMISSION if f.high and f.issued_outside else None


NON_ISSUED_ANY = partial(
    "non_issued_terminal_manager",
    "needs_permission",
    cite(TOITSU_R7, "6.1.3(4)(a)"),
    "支給以外の端末（私物など）で業務の情報を扱うには、端末管理責任者の許可が必要です。",
    "Doing work on a terminal your organisation did not issue (your own, for example) "
    "needs the Non-Issued Device Manager's permission.",
    permission_from=["terminal_manager"],
)


@rule(
    "non_issued_terminal_manager",
    rulebook="toitsu",
    actions=sorted(PROCESSING | {"reconnect_terminal"}),
    reads=["terminal"],
    requires=["non_issued"],
)
def non_issued_terminal_manager(f: Facts) -> Partial | None:
    return NON_ISSUED_ANY if f.non_issued else None


NON_ISSUED_PROTECTED = partial(
    "non_issued_terminal_protected_permission",
    "needs_permission",
    cite(TOITSU_R7, "8.1.1(4)(b)(イ)"),
    "支給以外の端末で要保護情報を扱うには、課室情報セキュリティ責任者の許可も必要です。",
    "Handling protected information on a non-issued terminal also needs the Division "
    "Information Security Officer's permission.",
    permission_from=["section_isec_officer"],
)
NON_ISSUED_PROCEDURE = partial(
    "non_issued_terminal_procedure",
    "allow_with_measures",
    cite(TOITSU_R7, "8.1.1(4)(a)"),
    "支給以外の端末で要保護情報を扱うときは、定められた利用手順に従ってください。",
    "Follow the set procedure when handling protected information on a non-issued terminal.",
    measures=["follow_procedure"],
)
NON_ISSUED_DELETE = partial(
    "non_issued_terminal_delete_when_done",
    "allow_with_measures",
    cite(TOITSU_R7, "6.1.3(4)(d)"),
    "作業が終わったら、支給以外の端末から要保護情報を消去してください。",
    "When the work is done, delete the protected information from the non-issued terminal.",
    measures=["delete_when_done"],
)


@rule(
    "non_issued_terminal_protected_permission",
    rulebook="toitsu",
    actions=sorted(PROCESSING),
    reads=["protected", "terminal"],
    requires=["protected", "non_issued"],
)
def non_issued_terminal_protected_permission(f: Facts) -> Partial | None:
    return NON_ISSUED_PROTECTED if f.protected and f.non_issued else None


@rule(
    "non_issued_terminal_procedure",
    rulebook="toitsu",
    actions=sorted(PROCESSING),
    reads=["protected", "terminal"],
    requires=["protected", "non_issued"],
)
def non_issued_terminal_procedure(f: Facts) -> Partial | None:
    return NON_ISSUED_PROCEDURE if f.protected and f.non_issued else None


@rule(
    "non_issued_terminal_delete_when_done",
    rulebook="toitsu",
    actions=sorted(PROCESSING),
    reads=["protected", "terminal"],
    requires=["protected", "non_issued"],
)
def non_issued_terminal_delete_when_done(f: Facts) -> Partial | None:
    return NON_ISSUED_DELETE if f.protected and f.non_issued else None


RECONNECT_SAFETY = partial(
    "reconnect_safety_measures",
    "allow_with_measures",
    cite(TOITSU_R7, "8.1.1(4)(c)"),
    "外で外部の回線につないだ端末を庁内のネットワークにつなぎ直すときは、定められた措置（ウイルス検査等）を講じてください。",
    "Before reconnecting a terminal that was on outside networks to the internal network, "
    "take the prescribed measures (a malware check, for example).",
    measures=["safety_measures"],
)
RECONNECT_PERMISSION = partial(
    "reconnect_permission",
    "needs_permission",
    cite(TOITSU_H30, "8.1.1(3)(j)"),
    "外で外部の回線につないだ端末を庁内のネットワークにつなぎ直すには、課室情報セキュリティ責任者の許可が必要です。",
    "Reconnecting a terminal that was on outside networks to the internal network needs "
    "the Division Information Security Officer's permission.",
    permission_from=["section_isec_officer"],
)


@rule("reconnect_safety_measures", rulebook="toitsu", actions=["reconnect_terminal"], reads=[])
def reconnect_safety_measures(f: Facts) -> Partial | None:
    return RECONNECT_SAFETY


@rule("reconnect_permission", rulebook="toitsu", actions=["reconnect_terminal"], reads=[])
def reconnect_permission(f: Facts) -> Partial | None:
    return RECONNECT_PERMISSION


CLOUD_ACTIONS = ["cloud_share", "forward", "provide", "send", "store", "use_cloud_service"]


def unapproved_cloud(f: Facts) -> bool:
    return f.cloud == "unapproved" or f.channel == "unapproved_storage"


CLOUD_UNAPPROVED_DENY = partial(
    "cloud_unapproved_confidential_deny",
    "deny",
    cite(TOITSU_R7, "8.1.1(3)(h)"),
    "利用の承認を得ていないクラウドサービス（フリーメールやオンラインストレージ等）は業務に使えません。要機密情報なら、なおさら使えません。",
    "Cloud services that have not been approved for use (free mail, online storage …) "
    "may not be used for work, least of all for confidential information.",
)
CLOUD_UNAPPROVED_APPLY = partial(
    "cloud_unapproved_apply",
    "needs_permission",
    (cite(TOITSU_R7, "8.1.1(3)(h)"), cite(TOITSU_R7, "4.2.3(2)(a)")),
    "利用の承認を得ていないクラウドサービスは使えません。要機密情報を扱わない前提で使うなら、提供条件等からリスクを許容できることを確かめた上で、許可権限者に利用を申請してください。",
    "Unapproved cloud services may not be used. To use one for non-confidential "
    "information, check its terms for acceptable risk and apply to the approval authority.",
    permission_from=["permit_authority"],
)


@rule(
    "cloud_unapproved_confidential_deny",
    rulebook="toitsu",
    actions=CLOUD_ACTIONS,
    reads=["confidentiality", "cloud", "channel"],
    requires=["kimitsu", "on_cloud"],
)
def cloud_unapproved_confidential_deny(f: Facts) -> Partial | None:
    return CLOUD_UNAPPROVED_DENY if f.kimitsu and f.on_cloud and unapproved_cloud(f) else None


@rule(
    "cloud_unapproved_apply",
    rulebook="toitsu",
    actions=CLOUD_ACTIONS,
    reads=["confidentiality", "cloud", "channel"],
    requires=["on_cloud"],
)
def cloud_unapproved_apply(f: Facts) -> Partial | None:
    return CLOUD_UNAPPROVED_APPLY if not f.kimitsu and f.on_cloud and unapproved_cloud(f) else None


CLOUD_NONCONFIDENTIAL = partial(
    "cloud_nonconfidential_only",
    "deny",
    cite(TOITSU_R7, "4.2.3(2)(a)"),
    "このクラウドサービスは要機密情報を扱わないことを前提に承認されたものなので、要機密情報は扱えません。",
    "This cloud service was approved on the premise that no confidential information goes "
    "into it, so confidential information may not.",
)


@rule(
    "cloud_nonconfidential_only",
    rulebook="toitsu",
    actions=CLOUD_ACTIONS,
    reads=["confidentiality", "cloud", "channel"],
    requires=["kimitsu", "on_cloud"],
)
def cloud_nonconfidential_only(f: Facts) -> Partial | None:
    return (
        CLOUD_NONCONFIDENTIAL
        if f.kimitsu and f.on_cloud and f.cloud == "approved_nonconfidential"
        else None
    )


SHARING = ["cloud_share", "forward", "provide", "send"]


SHARE_LIMIT = partial(
    "cloud_share_limit_access",
    "allow_with_measures",
    cite(TOITSU_R7, "8.1.1(10)(a)"),
    "クラウドサービスで外部と要保護情報を共有するときは、共有が必要な人だけがアクセスできるように設定してください。",
    "When you share protected information on a cloud service, make sure only the people "
    "who need it can reach it.",
    measures=["limit_access"],
)
SHARE_DELETE = partial(
    "cloud_share_delete_when_done",
    "allow_with_measures",
    cite(TOITSU_R7, "8.1.1(10)(b)"),
    "共有が要らなくなったら、クラウドサービス上の要保護情報をすぐに削除してください。",
    "Delete the protected information from the cloud service as soon as the sharing is over.",
    measures=["delete_when_done"],
)


@rule(
    "cloud_share_limit_access",
    rulebook="toitsu",
    actions=SHARING,
    reads=["protected", "cloud", "channel"],
    requires=["protected", "on_cloud"],
)
def cloud_share_limit_access(f: Facts) -> Partial | None:
    return SHARE_LIMIT if f.protected and f.on_cloud else None


@rule(
    "cloud_share_delete_when_done",
    rulebook="toitsu",
    actions=SHARING,
    reads=["protected", "cloud", "channel"],
    requires=["protected", "on_cloud"],
)
def cloud_share_delete_when_done(f: Facts) -> Partial | None:
    return SHARE_DELETE if f.protected and f.on_cloud else None
