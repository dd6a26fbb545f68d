"""Carrying and sending (統一基準(R7) 3.1.1(6)), USB take-out (H30 8.1.1(3)(k)), and
e-mail (R7 8.1.1(5)(a)(b)).

Carrying covers `carry_outside`, `carry_device_outside` (a terminal holds the
information too) and anything provided or sent by courier or by hand. Sending covers
e-mail, lines, online storage and web forms.
"""

from __future__ import annotations

from mamori.rules.handling_rules.base import (
    EXTERNAL_CHANNELS,
    MAIL,
    OUTWARD,
    SENDING,
    Facts,
    Partial,
    partial,
    rule,
)
from mamori.rules.refs import TOITSU_H30, TOITSU_R7, cite

CARRYING = ("carry_outside", "carry_device_outside", "provide", "send", "forward")


def leaves_agency_lines(f: Facts) -> bool:
    """機関等外通信回線: anything but the agency's own lines and its mail among its own people."""
    return (
        f.action == "web_form_submit"
        or f.channel in EXTERNAL_CHANNELS
        or (f.channel == "agency_mail" and f.recipient in OUTWARD)
    )


_6A = cite(TOITSU_R7, "3.1.1(6)(a)")
_6B = cite(TOITSU_R7, "3.1.1(6)(b)")

CARRY_SAFETY = partial(
    "carry_protected_safety",
    "allow_with_measures",
    _6A,
    "要保護情報を記録した媒体を要管理対策区域の外へ持ち出すときは、安全な運搬方法を決め、格付と取扱制限に応じた安全確保の措置を講じてください。",
    "When a medium holding protected information leaves the controlled area, choose a safe "
    "way to carry it and take the safety measures its classification and restrictions call for.",
    measures=["safety_measures"],
)


@rule(
    "carry_protected_safety",
    rulebook="toitsu",
    actions=CARRYING,
    reads=["protected", "location", "channel"],
    requires=["protected", "carrying"],
)
def carry_protected_safety(f: Facts) -> Partial | None:
    return CARRY_SAFETY if f.protected and f.carrying and f.location != "designated_area" else None


DESIGNATED_AREA = partial(
    "carry_designated_area_counts_as_inside",
    "allow",
    _6A,
    "持ち出し先は、統括情報セキュリティ責任者があらかじめ定めた他機関等の要管理対策区域なので、要管理対策区域とみなされます。",
    "The destination is another body's controlled area designated in advance by the "
    "General Information Security Officer, so it counts as inside the controlled area.",
)


@rule(
    "carry_designated_area_counts_as_inside",
    rulebook="toitsu",
    actions=CARRYING,
    reads=["protected", "location", "channel"],
    requires=["protected", "carrying"],
)
def carry_designated_area_counts_as_inside(f: Facts) -> Partial | None:
    return (
        DESIGNATED_AREA if f.protected and f.carrying and f.location == "designated_area" else None
    )


CORP_C3_CARRY = partial(
    "corp_c3_carry_encrypt_designated_method",
    "allow_with_measures",
    _6A,
    "独立行政法人・指定法人では、機密性３情報を持ち出すときは暗号化した上で、課室情報セキュリティ責任者が指定する方法で運搬してください。",
    "At incorporated administrative agencies and designated corporations, "
    "confidentiality-3 information leaves the controlled area only encrypted and carried by "
    "the method the Division Information Security Officer has designated.",
    measures=["encrypt", "designated_method"],
)
CORP_C3_CARRY_PAPER = partial(
    "corp_c3_carry_encrypt_designated_method",
    "allow_with_measures",
    _6A,
    "独立行政法人・指定法人では、機密性３情報を持ち出すときは課室情報セキュリティ責任者が指定する方法で運搬してください。",
    "At incorporated administrative agencies and designated corporations, "
    "confidentiality-3 information is carried only by the method the Division Information "
    "Security Officer has designated.",
    measures=["designated_method"],
)


@rule(
    "corp_c3_carry_encrypt_designated_method",
    rulebook="toitsu",
    actions=CARRYING,
    reads=["org_kind", "confidentiality", "medium", "location", "channel"],
    requires=["corp", "kimitsu", "high", "carrying"],
)
def corp_c3_carry_encrypt_designated_method(f: Facts) -> Partial | None:
    if not (f.corp and f.c3 and f.carrying and f.location != "designated_area"):
        return None
    return CORP_C3_CARRY if f.electronic else CORP_C3_CARRY_PAPER


USB_TAKEOUT = partial(
    "usb_takeout_permission",
    "needs_permission",
    cite(TOITSU_H30, "8.1.1(3)(k)"),
    "機密性３・要保全・要安定の情報を記録したUSBメモリ等を要管理対策区域の外へ持ち出すには、課室情報セキュリティ責任者の許可が必要です。",
    "Taking a USB stick or other external medium holding confidentiality-3, "
    "integrity-critical or availability-critical information outside the controlled area "
    "needs the Division Information Security Officer's permission.",
    permission_from=["section_isec_officer"],
)


@rule(
    "usb_takeout_permission",
    rulebook="toitsu",
    actions=["carry_outside", "provide", "send", "forward"],
    reads=["high", "medium", "channel"],
    requires=["high", "electronic", "carrying"],
)
def usb_takeout_permission(f: Facts) -> Partial | None:
    # carrying here is a medium: the actions exclude carry_device_outside (8.1.1(4) instead)
    return USB_TAKEOUT if f.high and f.electronic and f.carrying else None


SEND_SAFETY = partial(
    "send_protected_safety",
    "allow_with_measures",
    _6B,
    "要保護情報を電子メール等で送るときは、安全な送信の手段を決め、格付と取扱制限に応じた安全確保の措置（暗号化など）を講じてください。",
    "When you send protected information electronically, choose a safe means and take the "
    "safety measures its classification and restrictions call for (encryption, for example).",
    measures=["safety_measures"],
)


@rule(
    "send_protected_safety",
    rulebook="toitsu",
    actions=["provide", "send", "forward", "web_form_submit"],
    reads=["protected", "medium", "channel"],
    requires=["protected", "electronic", "transmitting"],
)
def send_protected_safety(f: Facts) -> Partial | None:
    return SEND_SAFETY if f.protected and f.electronic and f.transmitting else None


CORP_C3_SEND = partial(
    "corp_c3_send_encrypt_designated_method",
    "allow_with_measures",
    _6B,
    "独立行政法人・指定法人では、機密性３情報を機関等の外の回線で送るときは暗号化した上で、課室情報セキュリティ責任者が指定する方法で送信してください。",
    "At incorporated administrative agencies and designated corporations, "
    "confidentiality-3 information goes over lines outside the organisation only encrypted "
    "and by the method the Division Information Security Officer has designated.",
    measures=["encrypt", "designated_method"],
)
CORP_C3_AS_NATIONAL = partial(
    "corp_c3_send_encrypt_designated_method",
    "allow",
    _6B,
    "機密性３情報を国の行政機関と同等に取り扱っているので、国の行政機関と同等の措置で代えることができます。",
    "Your organisation handles confidentiality-3 information as a national body does, so "
    "the national body's measures may be taken instead.",
)


@rule(
    "corp_c3_send_encrypt_designated_method",
    rulebook="toitsu",
    actions=["provide", "send", "forward", "web_form_submit"],
    reads=["org_kind", "confidentiality", "medium", "channel", "recipient", "treat_c3_as_national"],
    requires=["corp", "kimitsu", "high", "electronic", "transmitting"],
)
def corp_c3_send_encrypt_designated_method(f: Facts) -> Partial | None:
    if not (f.corp and f.c3 and f.electronic and f.transmitting and leaves_agency_lines(f)):
        return None
    return CORP_C3_AS_NATIONAL if f.treat_c3_as_national else CORP_C3_SEND


_5A_MAIL = cite(TOITSU_R7, "8.1.1(5)(a)")
OTHER_MAIL_DENY = partial(
    "confidential_mail_agency_service",
    "deny",
    _5A_MAIL,
    "要機密情報を含むメールは、自組織が運営又は委託したメールサービスでしか送れません。フリーメールや個人のメールは使えません。",
    "Mail containing confidential information may only go through your organisation's own "
    "(or contracted) mail service, never free or private mail.",
)
AGENCY_MAIL = partial(
    "confidential_mail_agency_service",
    "allow_with_measures",
    _5A_MAIL,
    "要機密情報を含むメールは、自組織が運営又は委託したメールサービスで送ってください。",
    "Send mail containing confidential information through your organisation's own mail service.",
    measures=["agency_mail_service"],
)


@rule(
    "confidential_mail_agency_service",
    rulebook="toitsu",
    actions=sorted(SENDING),
    reads=["confidentiality", "channel"],
    requires=["kimitsu"],
)
def confidential_mail_agency_service(f: Facts) -> Partial | None:
    if not f.kimitsu:
        return None
    if f.channel == "other_mail":
        return OTHER_MAIL_DENY
    return AGENCY_MAIL if f.channel == "agency_mail" else None


GOV_DOMAIN = partial(
    "mail_gov_domain",
    "allow_with_measures",
    cite(TOITSU_R7, "8.1.1(5)(b)"),
    "外部の人とのメールには政府ドメイン名（.go.jp）のアドレスを使ってください（指定法人等の例外は規程によります）。",
    "Use a government-domain (.go.jp) address for mail with people outside (designated "
    "corporations and others may have an exception under the rules).",
    measures=["gov_domain"],
)


@rule("mail_gov_domain", rulebook="toitsu", actions=sorted(SENDING), reads=["channel", "recipient"])
def mail_gov_domain(f: Facts) -> Partial | None:
    return GOV_DOMAIN if f.channel in MAIL and f.recipient in OUTWARD else None
