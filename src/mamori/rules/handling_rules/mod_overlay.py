"""防衛省 overlay (rulebook `mod`): 防衛省の情報保証に関する訓令の運用について（通達）.

- 第3の4 / 第5の5(2): 秘密電子計算機情報等 are encrypted when put on removable media and
  when sent; 注意電子計算機情報 and 個人情報電磁的記録 when put on removable media.
- 第8: removable media are kept in a ledger (管理簿); media outside it are not used for
  業務用データ (1); check for malware before use (4); record each take-out from the
  container (5); taking a medium out of the workplace needs the 部隊等情報保証責任者 (6),
  who first makes sure only what is needed is on it (9); inside areas the
  情報保証責任者 has set, the ledger record suffices (7)(8).
- 第5の10: taking an information system out of the workplace needs the
  情報システム情報保証責任者 each time (1); outside networks only by the method they set
  (2); prevent theft where it goes (4).
- 第12の3 (with 第9): staff pledge not to handle 業務用データ on private equipment.
"""

from __future__ import annotations

from mamori.rules.handling_rules.base import PROCESSING, Facts, Partial, partial, rule
from mamori.rules.handling_rules.storage_disposal import MEDIA_ACTIONS
from mamori.rules.refs import MOD, cite

SECRET_MEDIA = partial(
    "mod_secret_media_encrypt",
    "allow_with_measures",
    cite(MOD, "第5の5(2)①"),
    "秘密電子計算機情報等を可搬記憶媒体に格納するときは、情報システムの暗号化機能で暗号化してください。",
    "Secret computer information goes onto removable media only encrypted with the "
    "system's encryption function.",
    measures=["encrypt"],
)


@rule(
    "mod_secret_media_encrypt",
    rulebook="mod",
    actions=MEDIA_ACTIONS,
    reads=["mod_secret", "medium", "channel"],
    requires=["on_medium"],
)
def mod_secret_media_encrypt(f: Facts) -> Partial | None:
    return SECRET_MEDIA if f.mod_secret and f.on_medium else None


CAUTION_MEDIA = partial(
    "mod_caution_media_encrypt",
    "allow_with_measures",
    cite(MOD, "第5の5(2)②"),
    "注意電子計算機情報や個人情報の電磁的記録を可搬記憶媒体に格納するときは、情報システムの暗号化機能で暗号化してください。",
    "Caution-level computer information and personal data go onto removable media only "
    "encrypted with the system's encryption function.",
    measures=["encrypt"],
)


@rule(
    "mod_caution_media_encrypt",
    rulebook="mod",
    actions=MEDIA_ACTIONS,
    reads=["mod_caution", "pii", "medium", "channel"],
    requires=["on_medium"],
)
def mod_caution_media_encrypt(f: Facts) -> Partial | None:
    return CAUTION_MEDIA if (f.mod_caution or f.pii) and f.on_medium else None


SECRET_SEND = partial(
    "mod_secret_transmit_encrypt",
    "allow_with_measures",
    cite(MOD, "第5の5(2)①"),
    "秘密電子計算機情報等を送信するときは、情報システムの暗号化機能で暗号化してください。",
    "Secret computer information is sent only encrypted with the system's encryption function.",
    measures=["encrypt"],
)


@rule(
    "mod_secret_transmit_encrypt",
    rulebook="mod",
    actions=["cloud_share", "forward", "provide", "send", "web_form_submit"],
    reads=["mod_secret", "medium", "channel"],
    requires=["electronic"],
)
def mod_secret_transmit_encrypt(f: Facts) -> Partial | None:
    if f.mod_secret and f.electronic and (f.action == "cloud_share" or f.transmitting):
        return SECRET_SEND
    return None


UNREGISTERED = partial(
    "mod_media_unregistered_deny",
    "deny",
    cite(MOD, "第8(1)"),
    "業務用データを扱う可搬記憶媒体は、部隊等情報保証責任者の管理簿に登録されたものでなければ使えません。",
    "Removable media used for work data must be registered in the Unit Information "
    "Assurance Officer's ledger; this one is not.",
)


@rule(
    "mod_media_unregistered_deny",
    rulebook="mod",
    actions=[*MEDIA_ACTIONS, "store"],
    reads=["media", "medium", "channel"],
)
def mod_media_unregistered_deny(f: Facts) -> Partial | None:
    if f.media != "unregistered":
        return None
    return UNREGISTERED if f.action == "store" or f.on_medium else None


MALWARE = partial(
    "mod_media_malware_check",
    "allow_with_measures",
    cite(MOD, "第8(4)"),
    "可搬記憶媒体を使う前に、コンピュータ・ウイルス等に感染していないことを確かめてください。感染していれば、駆除するまで使えません。",
    "Check a removable medium for malware before using it; an infected one may not be "
    "used until it is cleaned.",
    measures=["malware_scan"],
)
RECORD_USE = partial(
    "mod_media_record_use",
    "allow_with_measures",
    cite(MOD, "第8(5)"),
    "管理簿に登録された可搬記憶媒体を保管容器から持ち出すときは、その都度管理簿に記録してください。",
    "Each time you take a registered medium from its container, record it in the ledger.",
    measures=["record_in_ledger"],
)


@rule("mod_media_malware_check", rulebook="mod", actions=["use_external_media"], reads=[])
def mod_media_malware_check(f: Facts) -> Partial | None:
    return MALWARE


@rule("mod_media_record_use", rulebook="mod", actions=["use_external_media"], reads=[])
def mod_media_record_use(f: Facts) -> Partial | None:
    return RECORD_USE


MEDIA_TAKEOUT = partial(
    "mod_media_takeout_permission",
    "needs_permission",
    (cite(MOD, "第8(6)"), cite(MOD, "第8(9)")),
    "管理簿に登録された可搬記憶媒体を職場から持ち出すには、その都度、部隊等情報保証責任者の許可が必要です。持ち出し先で必要な情報だけを入れ、目的外に複製しないでください。",
    "Taking a registered removable medium out of the workplace needs the Unit Information "
    "Assurance Officer's permission each time. Carry only what is needed there and make no "
    "copies for other purposes.",
    permission_from=["unit_ia_officer"],
    measures=["only_needed_data", "record_in_ledger"],
)
MEDIA_TAKEOUT_AREA = partial(
    "mod_media_takeout_designated_area",
    "allow_with_measures",
    cite(MOD, "第8(8)"),
    "情報保証責任者が定めた区域への持ち出しなので、管理簿への記録で足ります。",
    "The destination is an area the Information Assurance Officer has designated, so a "
    "ledger record is enough.",
    measures=["record_in_ledger"],
)


@rule(
    "mod_media_takeout_permission",
    rulebook="mod",
    actions=["carry_outside", "forward", "provide", "send"],
    reads=["medium", "location", "channel"],
    requires=["on_medium", "electronic"],
)
def mod_media_takeout_permission(f: Facts) -> Partial | None:
    # on a medium, and not use_external_media: carried or posted
    return MEDIA_TAKEOUT if f.on_medium and f.location != "designated_area" else None


@rule(
    "mod_media_takeout_designated_area",
    rulebook="mod",
    actions=["carry_outside", "forward", "provide", "send"],
    reads=["medium", "location", "channel"],
    requires=["on_medium", "electronic"],
)
def mod_media_takeout_designated_area(f: Facts) -> Partial | None:
    return MEDIA_TAKEOUT_AREA if f.on_medium and f.location == "designated_area" else None


SYSTEM_OUT = ["carry_device_outside", "use_issued_terminal_outside"]
SYSTEM_PERMISSION = partial(
    "mod_system_takeout_permission",
    "needs_permission",
    cite(MOD, "第5の10(1)"),
    "防衛省の情報システム（パソコン等）を職場から持ち出すには、持ち出しの都度、情報システム情報保証責任者の許可が必要です（期間を定めた許可がある場合を除く）。",
    "Taking a Ministry information system (a laptop, for example) out of the workplace "
    "needs the Information System Information Assurance Officer's permission each time, "
    "unless a permission for a set period covers it.",
    permission_from=["sys_ia_officer"],
)
SYSTEM_NETWORK = partial(
    "mod_system_outside_network",
    "allow_with_measures",
    cite(MOD, "第5の10(2)"),
    "持ち出し先では、情報システム情報保証責任者が定めた方法以外で外部のネットワークにつながないでください。",
    "Where you take it, connect to outside networks only by the method the Information "
    "System Information Assurance Officer has set.",
    measures=["follow_procedure"],
)
SYSTEM_THEFT = partial(
    "mod_system_theft_prevention",
    "allow_with_measures",
    cite(MOD, "第5の10(4)"),
    "持ち出し先で盗難に遭わないようにしてください。",
    "Guard it against theft wherever you take it.",
    measures=["physical_protection"],
)


@rule("mod_system_takeout_permission", rulebook="mod", actions=SYSTEM_OUT, reads=[])
def mod_system_takeout_permission(f: Facts) -> Partial | None:
    return SYSTEM_PERMISSION


@rule("mod_system_outside_network", rulebook="mod", actions=SYSTEM_OUT, reads=[])
def mod_system_outside_network(f: Facts) -> Partial | None:
    return SYSTEM_NETWORK


@rule("mod_system_theft_prevention", rulebook="mod", actions=SYSTEM_OUT, reads=[])
def mod_system_theft_prevention(f: Facts) -> Partial | None:
    return SYSTEM_THEFT


PRIVATE = partial(
    "mod_private_device_deny",
    "deny",
    cite(MOD, "第12の3"),
    "防衛省では、私有のパソコン等で業務用データを扱いません（職員はその旨を誓約しています）。",
    "At the Ministry of Defense, work data is never handled on private equipment (staff "
    "pledge so).",
)


@rule(
    "mod_private_device_deny",
    rulebook="mod",
    actions=sorted(PROCESSING | {"reconnect_terminal"}),
    reads=["terminal"],
    requires=["non_issued"],
)
def mod_private_device_deny(f: Facts) -> Partial | None:
    return PRIVATE if f.non_issued else None
