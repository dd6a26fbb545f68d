"""総務省 overlay (rulebook `mic_pii`): 保有個人情報等の安全管理に関する訓令.

Applies to personal information (types `personal` or `my_number`).
- 第10条: copying, sending, and sending or taking out media only as the 保護管理者
  directs (we ask for the 保護管理者's permission).
- 第12条: media kept where directed; media sent or taken out protected by authentication.
- 第12条の2: checks against mis-sending, mis-delivery and mis-posting.
- 第13条: disposal beyond restoration as directed; certificates when outsourced.
- 第14条の2: the foreign environment when a cloud service holds it.
- 第15条・第18条: My Number only by the 事務取扱担当者 for 番号法 work.
- 第26条: temporary copies kept to the minimum and deleted after.
- 第27条: encryption as the information requires.
- 第32条第2項: terminals taken out or brought in only when the 保護管理者 allows.
- 第33条: keep others from seeing the screen. 第34条: media connected as restricted.
"""

from __future__ import annotations

from mamori.rules.handling_rules.base import ACTIONS, PROCESSING, Facts, Partial, partial, rule
from mamori.rules.refs import MIC, cite

_MANAGER = ["pii_manager"]

COPY = partial(
    "mic_copy_under_manager",
    "needs_permission",
    cite(MIC, "第10条第1号"),
    "個人情報を複製（印刷や媒体への書き出しを含む）するときは、保護管理者の指示に従う必要があります。保護管理者の了承を得てください。",
    "Copying personal information (printing or writing it to a medium included) is done "
    "only as the Personal Information Protection Manager directs: get their approval.",
    permission_from=_MANAGER,
)


@rule(
    "mic_copy_under_manager",
    rulebook="mic_pii",
    actions=["copy", "print", "use_external_media"],
    reads=["pii"],
    requires=["pii"],
)
def mic_copy_under_manager(f: Facts) -> Partial | None:
    return COPY if f.pii else None


SEND = partial(
    "mic_send_under_manager",
    "needs_permission",
    cite(MIC, "第10条第2号"),
    "個人情報を送信するときは、保護管理者の指示に従う必要があります。保護管理者の了承を得てください。",
    "Sending personal information is done only as the Personal Information Protection "
    "Manager directs: get their approval.",
    permission_from=_MANAGER,
)


@rule(
    "mic_send_under_manager",
    rulebook="mic_pii",
    actions=["cloud_share", "forward", "provide", "send", "web_form_submit"],
    reads=["pii", "channel"],
    requires=["pii"],
)
def mic_send_under_manager(f: Facts) -> Partial | None:
    return SEND if f.pii and (f.action == "cloud_share" or f.transmitting) else None


TAKEOUT = partial(
    "mic_takeout_under_manager",
    "needs_permission",
    cite(MIC, "第10条第3号"),
    "個人情報が記録された媒体を外部へ送付したり持ち出したりするときは、保護管理者の指示に従う必要があります。保護管理者の了承を得てください。",
    "Sending or taking out a medium holding personal information is done only as the "
    "Personal Information Protection Manager directs: get their approval.",
    permission_from=_MANAGER,
)


@rule(
    "mic_takeout_under_manager",
    rulebook="mic_pii",
    actions=["carry_outside", "forward", "provide", "send"],
    reads=["pii", "channel"],
    requires=["pii", "carrying"],
)
def mic_takeout_under_manager(f: Facts) -> Partial | None:
    return TAKEOUT if f.pii and f.carrying else None  # a medium: carry_device_outside is 第32条


MEDIA_AUTH = partial(
    "mic_media_authentication",
    "allow_with_measures",
    cite(MIC, "第12条"),
    "個人情報が記録された媒体を外部へ送付・持ち出すときは、原則としてパスワード等の認証機能を設定してください。",
    "A medium holding personal information that is sent or taken out is, as a rule, "
    "protected by a password or other authentication.",
    measures=["media_access_control"],
)


@rule(
    "mic_media_authentication",
    rulebook="mic_pii",
    actions=["carry_outside", "forward", "provide", "send"],
    reads=["pii", "medium", "channel"],
    requires=["pii", "electronic", "carrying"],
)
def mic_media_authentication(f: Facts) -> Partial | None:
    return MEDIA_AUTH if f.pii and f.electronic and f.carrying else None


MEDIA_STORAGE = partial(
    "mic_media_storage",
    "allow_with_measures",
    cite(MIC, "第12条"),
    "個人情報が記録された媒体は、保護管理者の指示に従い、定められた場所に保管してください（必要なら施錠や耐火金庫）。",
    "Keep media holding personal information where the Personal Information Protection "
    "Manager directs (locked, or in a fire-proof safe, where needed).",
    measures=["follow_procedure"],
)


@rule("mic_media_storage", rulebook="mic_pii", actions=["store"], reads=["pii"], requires=["pii"])
def mic_media_storage(f: Facts) -> Partial | None:
    return MEDIA_STORAGE if f.pii else None


MISDELIVERY = partial(
    "mic_misdelivery_check",
    "allow_with_measures",
    cite(MIC, "第12条の2"),
    "誤送信・誤送付・誤交付・誤掲載を防ぐため、複数人での確認やチェックリストを使って宛先や内容を確かめてください。",
    "To prevent mis-sending, mis-delivery and mis-posting, have the recipients and content "
    "checked by a second person or a checklist.",
    measures=["double_check"],
)


@rule(
    "mic_misdelivery_check",
    rulebook="mic_pii",
    actions=["cloud_share", "forward", "provide", "publish", "send", "web_form_submit"],
    reads=["pii"],
    requires=["pii"],
)
def mic_misdelivery_check(f: Facts) -> Partial | None:
    return MISDELIVERY if f.pii else None


DISPOSE = partial(
    "mic_dispose_unrecoverable",
    "allow_with_measures",
    cite(MIC, "第13条"),
    "不要になった個人情報や媒体は、保護管理者の指示に従い、復元も判読もできない方法で消去・廃棄してください。",
    "Erase or dispose of personal information and its media, as the Personal Information "
    "Protection Manager directs, so it can be neither restored nor read.",
    measures=["follow_procedure", "make_unrecoverable"],
)
DISPOSE_OUTSOURCED = partial(
    "mic_dispose_outsourced_certificate",
    "allow_with_measures",
    cite(MIC, "第13条"),
    "消去・廃棄を委託するときは、立ち会うか、写真付きの消去・廃棄証明書を受け取って、確実に行われたことを確かめてください。",
    "When a contractor erases or disposes of it, witness it or obtain a certificate with "
    "photographs to make sure it was done.",
    measures=["disposal_certificate"],
)


@rule(
    "mic_dispose_unrecoverable",
    rulebook="mic_pii",
    actions=["dispose"],
    reads=["pii"],
    requires=["pii"],
)
def mic_dispose_unrecoverable(f: Facts) -> Partial | None:
    return DISPOSE if f.pii else None


@rule(
    "mic_dispose_outsourced_certificate",
    rulebook="mic_pii",
    actions=["dispose"],
    reads=["pii", "outsourced"],
    requires=["pii"],
)
def mic_dispose_outsourced_certificate(f: Facts) -> Partial | None:
    return DISPOSE_OUTSOURCED if f.pii and f.outsourced else None


CLOUD_USERS = ["cloud_share", "forward", "provide", "send", "store", "use_cloud_service"]
FOREIGN = partial(
    "mic_foreign_environment",
    "allow_with_measures",
    cite(MIC, "第14条の2"),
    "クラウドサービスの事業者やサーバが外国にある場合は、その国の個人情報保護の制度等を把握した上で、必要な措置を講じてください。",
    "If the cloud provider or its servers are abroad, take account of that country's "
    "data-protection regime and take the measures needed.",
    measures=["foreign_environment_check"],
)


@rule(
    "mic_foreign_environment",
    rulebook="mic_pii",
    actions=CLOUD_USERS,
    reads=["pii", "cloud", "channel"],
    requires=["pii", "on_cloud"],
)
def mic_foreign_environment(f: Facts) -> Partial | None:
    return FOREIGN if f.pii and f.on_cloud else None


MY_NUMBER = partial(
    "mynumber_handler_only",
    "deny",
    (cite(MIC, "第15条"), cite(MIC, "第18条")),
    "マイナンバー（個人番号）を含む情報は、保護管理者が指定した事務取扱担当者が番号法の事務のためにだけ扱えます。",
    "Information containing My Numbers may be handled only by the designated My Number "
    "clerks, and only for the work the My Number Act provides for.",
)


@rule(
    "mynumber_handler_only",
    rulebook="mic_pii",
    actions=list(ACTIONS),
    reads=["my_number", "handler"],
    requires=["pii"],
)
def mynumber_handler_only(f: Facts) -> Partial | None:
    return MY_NUMBER if f.my_number and not f.handler else None


TEMP_COPY = partial(
    "mic_temporary_copy_delete",
    "allow_with_measures",
    cite(MIC, "第26条"),
    "作業のための複製は必要最小限にし、処理が終わったら不要になった情報をすぐに消去してください。",
    "Keep working copies to the minimum and delete them as soon as the processing is done.",
    measures=["delete_when_done"],
)


@rule(
    "mic_temporary_copy_delete",
    rulebook="mic_pii",
    actions=["copy"],
    reads=["pii"],
    requires=["pii"],
)
def mic_temporary_copy_delete(f: Facts) -> Partial | None:
    return TEMP_COPY if f.pii else None


ENCRYPT = partial(
    "mic_encrypt",
    "allow_with_measures",
    cite(MIC, "第27条"),
    "送ったり媒体で持ち出したりする個人情報は、その内容に応じて適切に暗号化してください。",
    "Encrypt personal information you send or carry on media, as its content requires.",
    measures=["encrypt"],
)


@rule(
    "mic_encrypt",
    rulebook="mic_pii",
    actions=[
        "carry_outside",
        "cloud_share",
        "forward",
        "provide",
        "send",
        "use_external_media",
        "web_form_submit",
    ],
    reads=["pii", "medium", "channel"],
    requires=["pii", "electronic"],
)
def mic_encrypt(f: Facts) -> Partial | None:
    if f.pii and f.electronic and (f.action == "cloud_share" or f.transmitting or f.on_medium):
        return ENCRYPT
    return None


TERMINAL_OUT = partial(
    "mic_terminal_takeout",
    "needs_permission",
    cite(MIC, "第32条第2項"),
    "個人情報を扱う端末を外部へ持ち出すのは、保護管理者が必要と認めたときだけです。",
    "A terminal holding personal information leaves the office only when the Personal "
    "Information Protection Manager finds it necessary.",
    permission_from=_MANAGER,
)
TERMINAL_IN = partial(
    "mic_terminal_bring_in",
    "needs_permission",
    cite(MIC, "第32条第2項"),
    "外部の端末を持ち込んで個人情報を扱うのは、保護管理者が必要と認めたときだけです。",
    "Bringing in an outside terminal to handle personal information is allowed only when "
    "the Personal Information Protection Manager finds it necessary.",
    permission_from=_MANAGER,
)


@rule(
    "mic_terminal_takeout",
    rulebook="mic_pii",
    actions=["carry_device_outside", "use_issued_terminal_outside"],
    reads=["pii"],
    requires=["pii"],
)
def mic_terminal_takeout(f: Facts) -> Partial | None:
    return TERMINAL_OUT if f.pii else None


@rule(
    "mic_terminal_bring_in",
    rulebook="mic_pii",
    actions=sorted(PROCESSING),
    reads=["pii", "terminal"],
    requires=["pii", "non_issued"],
)
def mic_terminal_bring_in(f: Facts) -> Partial | None:
    return TERMINAL_IN if f.pii and f.non_issued else None


VIEWING = partial(
    "mic_prevent_viewing",
    "allow_with_measures",
    cite(MIC, "第33条"),
    "個人情報を外や支給外の端末で扱うときは、他人に画面を見られないようにし、離席時はログオフしてください。",
    "When you handle personal information outside or on a non-issued terminal, keep others "
    "from seeing the screen and log off when you step away.",
    measures=["prevent_viewing"],
)


@rule(
    "mic_prevent_viewing",
    rulebook="mic_pii",
    actions=sorted(PROCESSING),
    reads=["pii", "terminal", "location", "channel"],
    requires=["pii"],
)
def mic_prevent_viewing(f: Facts) -> Partial | None:
    if f.pii and (f.non_issued or f.outside):
        return VIEWING
    return None


MEDIA_CONNECT = partial(
    "mic_media_connection",
    "allow_with_measures",
    cite(MIC, "第34条"),
    "USBメモリ等を端末につなぐときは、保護管理者が定めた接続の制限に従ってください。",
    "Connect USB sticks and similar devices only within the limits the Personal "
    "Information Protection Manager has set.",
    measures=["follow_procedure"],
)


@rule(
    "mic_media_connection",
    rulebook="mic_pii",
    actions=["use_external_media"],
    reads=["pii"],
    requires=["pii"],
)
def mic_media_connection(f: Facts) -> Partial | None:
    return MEDIA_CONNECT if f.pii else None
