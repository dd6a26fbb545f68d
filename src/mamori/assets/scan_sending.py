"""The send check: may these attachments go to these addresses?

Blocked when an attachment shows a 機密性２/３ marking or personal information (the same
findings and bars as publication, assets.scan_services) and at least one recipient is
outside the organisation's own mail domains. Mis-sending is the first cause of
personal-information leaks in government bodies (45.6 %, booklet 1章-2); the MIC
directive asks for checks against it (総務省訓令 第12条の2) and limits sending personal
information to what the 保護管理者 allows (第10条); 要保護 information sent by e-mail
needs protection such as encryption (統一基準(R7) 3.1.1(6)(b)).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mamori.assets.scan_services import (
    MISSEND_CLAUSE,
    PROVIDE_CLAUSE,
    Check,
    Reason,
    Verdict,
    collect,
    flatten,
    read_uploads,
    scan_uploads,
    trail_data,
    types_text,
    warnings_for,
)
from mamori.errors import InvalidInput
from mamori.rules.refs import MIC, TOITSU_R7, cite
from mamori.scan.types import FileResult
from mamori.trail.services import record

MAX_RECIPIENTS = 100
SEND_CLAUSE = cite(TOITSU_R7, "3.1.1(6)(b)")
SEND_LIMIT_CLAUSE = cite(MIC, "第10条")

_SPLIT = re.compile(r"[\s,;、，；]+")


def parse_recipients(text: str | Iterable[str]) -> list[str]:
    """Addresses, one a line or separated by commas; each must be a mail address."""
    items = _SPLIT.split(text) if isinstance(text, str) else [str(t) for t in text]
    addresses = list(dict.fromkeys(a.strip().strip("<>").lower() for a in items if a.strip()))
    if not addresses:
        raise InvalidInput(_("宛先を入力してください。"), details={"recipients": "required"})
    if len(addresses) > MAX_RECIPIENTS:
        raise InvalidInput(
            _("宛先は%(max)d件までです。") % {"max": MAX_RECIPIENTS},
            details={"recipients": "too_many"},
        )
    bad = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad:
        raise InvalidInput(
            _("メールアドレスとして正しくない宛先があります: %(list)s")
            % {"list": ", ".join(bad[:5])},
            code="invalid_recipient",
            details={"recipients": "invalid", "invalid": bad[:20]},
        )
    return addresses


def own_mail_domains(organization) -> tuple[str, ...]:
    """The organisation's own mail domains. The Organization model has no such field
    yet, so there are none and every recipient counts as outside the organisation."""
    domains = getattr(organization, "mail_domains", None) or ()
    return tuple(d.lower().lstrip("@") for d in domains)


def is_internal(address: str, domains: Sequence[str]) -> bool:
    host = address.rsplit("@", 1)[-1]
    return any(host == d or host.endswith("." + d) for d in domains)


def send_verdict(
    results: Sequence[FileResult], recipients: Sequence[str], domains: Sequence[str]
) -> Verdict:
    """May these attachments go to these recipients?"""
    found = collect(results)
    external = [a for a in recipients if not is_internal(a, domains)]
    where = ", ".join(external[:5]) + (" …" if len(external) > 5 else "")
    reasons = []
    if external and found.marking:
        reasons.append(
            Reason(
                "classification_marking",
                _(
                    "機密性２又は機密性３（要機密）の表示がある添付ファイルを組織外の宛先"
                    "（%(where)s）に送ろうとしています。提供してよいか決定者等に相談し、"
                    "送るときは暗号化等の措置を講じてください。"
                )
                % {"where": where},
                (PROVIDE_CLAUSE, SEND_CLAUSE),
                found.marking,
            )
        )
    if external and found.personal:
        reasons.append(
            Reason(
                "personal_information",
                _(
                    "個人情報（%(types)s）を含む添付ファイルを組織外の宛先（%(where)s）に"
                    "送ろうとしています。保護管理者の指示に従い、送る必要がある場合に限り、"
                    "暗号化して送ってください。"
                )
                % {"types": types_text(found.personal_types), "where": where},
                (MISSEND_CLAUSE, SEND_LIMIT_CLAUSE, SEND_CLAUSE),
                found.personal,
            )
        )
    warnings = warnings_for(found)
    if found.unreadable:
        warnings.append(
            Reason(
                "unscannable",
                _(
                    "中身を確認できない添付ファイルがあります（暗号化・破損等）。"
                    "送る前に中身と宛先を確認してください。"
                ),
                (MISSEND_CLAUSE,),
                found.unreadable,
            )
        )
    notes = [
        _(
            "送信する前に、宛先（TO・CC・BCC）と添付ファイルに誤りがないことを、"
            "複数の職員による確認やチェックリストで確かめてください（%(clause)s）。"
        )
        % {"clause": MISSEND_CLAUSE},
    ]
    if not domains:
        notes.append(
            _("組織のメールドメインが登録されていないため、全ての宛先を組織外として扱いました。")
        )
    return Verdict(bool(reasons), reasons, warnings, notes)


def check_sending(person, recipients, files: Sequence, *, channel: str = "page") -> Check:
    """Send check: may these attachments go to these addresses?"""
    addresses = parse_recipients(recipients)
    uploads = read_uploads(files)
    runs = scan_uploads(uploads)
    domains = own_mail_domains(person.organization)
    verdict = send_verdict(flatten(runs), addresses, domains)
    external = [a for a in addresses if not is_internal(a, domains)]
    check = Check(uploads, runs, verdict, addresses, external)
    with transaction.atomic():
        record(
            "assets.scan.send_checked",
            actor=person.user,
            data={
                **trail_data(check),
                "channel": channel,
                # Domains, not addresses: enough to audit where things went.
                "recipient_domains": sorted({a.rsplit("@", 1)[-1] for a in addresses}),
                "external_recipients": len(external),
            },
            organization_id=person.organization_id,
        )
    return check
