"""Publication and provision (統一基準(R7) 3.1.1(5)), and web forms (8.1.1(5)(f)).

(a) Only 機密性１ information is published. Handing information to the public (不特定の人)
    by any route is publication.
(b) Providing it beyond its viewers: consult the 決定者等, follow their decision, and make
    sure the recipient learns how to handle it.
(c) At 独立行政法人/指定法人, 機密性３ beyond the viewers also needs the
    課室情報セキュリティ責任者.
(d) Electronic records that are provided or published: prevent inadvertent leaks.
"""

from __future__ import annotations

from mamori.rules.handling_rules.base import OUTWARD, Facts, Partial, partial, rule
from mamori.rules.refs import TOITSU_R7, cite

PROVIDING = ("provide", "send", "forward", "cloud_share")

_5A = cite(TOITSU_R7, "3.1.1(5)(a)")
PUBLISH_DENY = partial(
    "publish_only_c1",
    "deny",
    _5A,
    "公表できるのは機密性１情報だけです。機密性２以上の情報は、決定者等が格付を見直して機密性１としない限り公表できません。",
    "Only confidentiality-1 information may be published. Information classified 2 or 3 "
    "cannot be published unless the classification decision maker reviews it down to 1.",
)
PUBLISH_CONFIRM = partial(
    "publish_only_c1",
    "allow_with_measures",
    _5A,
    "公表する前に、機密性１情報に格付されていることを確認してください。",
    "Before publishing, confirm that the information is classified confidentiality 1.",
    measures=["confirm_classification"],
)


@rule("publish_only_c1", rulebook="toitsu", actions=["publish"], reads=["confidentiality"])
def publish_only_c1(f: Facts) -> Partial | None:
    return PUBLISH_DENY if f.kimitsu else PUBLISH_CONFIRM


TO_PUBLIC_DENY = partial(
    "public_recipient_is_publication",
    "deny",
    _5A,
    "不特定の人に渡すことは公表と同じです。公表できるのは機密性１情報だけです。",
    "Giving information to the general public is publication, and only confidentiality-1 "
    "information may be published.",
)
TO_PUBLIC_CONFIRM = partial(
    "public_recipient_is_publication",
    "allow_with_measures",
    _5A,
    "不特定の人に渡すことは公表と同じです。機密性１情報であることを確認してください。",
    "Giving information to the general public is publication: confirm it is confidentiality 1.",
    measures=["confirm_classification"],
)


@rule(
    "public_recipient_is_publication",
    rulebook="toitsu",
    actions=PROVIDING,
    reads=["recipient", "confidentiality"],
)
def public_recipient_is_publication(f: Facts) -> Partial | None:
    if f.recipient != "public":
        return None
    return TO_PUBLIC_DENY if f.kimitsu else TO_PUBLIC_CONFIRM


BEYOND_VIEWERS = partial(
    "beyond_viewers_consult_decider",
    "needs_permission",
    cite(TOITSU_R7, "3.1.1(5)(b)"),
    "閲覧制限の範囲外の人に渡すときは、格付と取扱制限の決定者等に相談してその決定に従い、"
    "提供先には取扱い上の留意事項を確実に伝えてください。",
    "To give it to someone outside its permitted viewers, consult the classification "
    "decision maker, follow their decision, and make sure the recipient is told how to handle it.",
    permission_from=["decider"],
    measures=["convey_handling_notes"],
)


@rule(
    "beyond_viewers_consult_decider",
    rulebook="toitsu",
    actions=PROVIDING,
    reads=["recipient", "confidentiality", "restrictions"],
)
def beyond_viewers_consult_decider(f: Facts) -> Partial | None:
    # 閲覧制限 exists for 要機密 information and wherever a 「〇〇限り」 marking names viewers.
    if f.recipient == "outside_viewers" and (f.kimitsu or "viewers_limited" in f.restrictions):
        return BEYOND_VIEWERS
    return None


CORP_C3_PROVIDE = partial(
    "corp_c3_provide_needs_section_officer",
    "needs_permission",
    cite(TOITSU_R7, "3.1.1(5)(c)"),
    "独立行政法人・指定法人では、機密性３情報を閲覧制限の範囲外の人に提供するには課室情報セキュリティ責任者の許可が必要です。",
    "At incorporated administrative agencies and designated corporations, giving "
    "confidentiality-3 information to anyone outside its viewers needs the Division "
    "Information Security Officer's permission.",
    permission_from=["section_isec_officer"],
)


@rule(
    "corp_c3_provide_needs_section_officer",
    rulebook="toitsu",
    actions=PROVIDING,
    reads=["org_kind", "confidentiality", "recipient"],
    requires=["corp", "kimitsu", "high"],
)
def corp_c3_provide_needs_section_officer(f: Facts) -> Partial | None:
    return CORP_C3_PROVIDE if f.corp and f.c3 and f.recipient in OUTWARD else None


LEAK = partial(
    "electronic_provision_prevent_leak",
    "allow_with_measures",
    cite(TOITSU_R7, "3.1.1(5)(d)"),
    "電子ファイルを渡す・公表するときは、変更履歴やコメント、プロパティなどの隠れた情報から漏れないようにしてください。",
    "When you provide or publish an electronic file, remove hidden content such as "
    "revision history, comments and properties so nothing leaks by accident.",
    measures=["prevent_inadvertent_leak"],
)


@rule(
    "electronic_provision_prevent_leak",
    rulebook="toitsu",
    actions=["publish", "provide", "send", "forward", "cloud_share"],
    reads=["medium", "recipient"],
    requires=["electronic"],
)
def electronic_provision_prevent_leak(f: Facts) -> Partial | None:
    if not f.electronic:
        return None
    if f.action in ("publish", "provide") or f.recipient in OUTWARD:
        return LEAK
    return None


WEB_FORM = partial(
    "web_form_check_site",
    "allow_with_measures",
    cite(TOITSU_R7, "8.1.1(5)(f)"),
    "要機密情報をウェブのフォームで送るときは、送信が暗号化されること（錠アイコン）と、送信先として想定している組織のサイトであることを確かめてください。",
    "Before sending confidential information through a web form, check that the "
    "submission is encrypted and that the site belongs to the organisation you intend.",
    measures=["verify_site_and_encryption"],
)


@rule(
    "web_form_check_site",
    rulebook="toitsu",
    actions=["web_form_submit"],
    reads=["confidentiality"],
    requires=["kimitsu"],
)
def web_form_check_site(f: Facts) -> Partial | None:
    return WEB_FORM if f.kimitsu else None
