"""Publishing an asset (公表済): the asset's own record must allow it, and so must the
content of the file(s) being published.

The checks, in order, each with its citation:
1. the move is allowed from the asset's state;
2. the asset is 機密性１ (統一基準(R7) 3.1.1(5)(a)) and no handling restriction forbids
   publication (the handling rules);
3. an electronic asset comes with the file(s) to be published, and their content shows
   neither a 機密性２/３ marking nor personal information nor anything unreadable
   (assets.scan_services.publication_verdict).
The files are scanned before the row is locked, so a slow scan never holds the lock;
every refusal is raised inside the transaction, so nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

from mamori.assets import scan_services, services
from mamori.assets.models import AssetState, InformationAsset, Medium
from mamori.assets.scan_services import Upload
from mamori.errors import InvalidInput


class PublicationBlocked(InvalidInput):
    """The content of a file stops publication. Carries the scan for the page to show."""

    code = "publish_refused"

    def __init__(self, message, *, check: scan_services.Check, details: dict) -> None:
        super().__init__(message, details=details)
        self.check = check


def _refusal_message(verdict: scan_services.Verdict):
    lines = [
        _("%(reason)s（%(clauses)s）")
        % {
            "reason": reason.message,
            "clauses": pgettext("clause separator", "、").join(reason.citations),
        }
        for reason in verdict.reasons
    ]
    return _("公表できません。%(reasons)s") % {"reasons": " ".join(str(x) for x in lines)}


def _scan(uploads: Sequence[Upload]) -> scan_services.Check | None:
    if not uploads:
        return None
    runs = scan_services.scan_uploads(uploads)
    verdict = scan_services.publication_verdict(scan_services.flatten(runs))
    return scan_services.Check(list(uploads), runs, verdict)


def mark_published(
    asset: InformationAsset,
    actor,
    files: Sequence[Upload] | Sequence = (),
    on: date | None = None,
) -> InformationAsset:
    """Record that the information was published, after checking the files that were.
    A refusal because of the files' content is itself recorded (who tried to publish
    what, with counts and digests), after the rolled-back transaction."""
    # Refuse a person who may not edit before spending time on their files.
    services._require_editor(actor, asset)
    uploads = (
        list(files)
        if all(isinstance(f, Upload) for f in files)
        else scan_services.read_uploads(files, required=False)  # Django UploadedFiles
    )
    check = _scan(uploads)
    try:
        return _publish(asset, actor, check, on)
    except PublicationBlocked as blocked:
        with transaction.atomic():
            services._trail(
                "assets.asset.publish_refused",
                actor,
                asset,
                {
                    "citations": blocked.check.verdict.citations,
                    "scan": scan_services.trail_data(blocked.check),
                },
            )
        raise


def _publish(asset, actor, check: scan_services.Check | None, on: date | None):
    with transaction.atomic():
        asset = services._lock(asset, actor)
        services._move(asset, AssetState.PUBLISHED)
        if asset.confidentiality != 1:
            raise InvalidInput(
                _(
                    "公表できるのは機密性１情報だけです（%(clause)s）。この情報は機密性%(level)dです。"
                )
                % {"clause": services.PUBLISH_CLAUSE, "level": asset.confidentiality},
                code="publish_refused",
                details={
                    "confidentiality": asset.confidentiality,
                    "citation": services.PUBLISH_CLAUSE,
                },
            )
        decision = services._handling_decision(asset, "publish")
        if decision["verdict"] == "deny":
            language = "en" if (get_language() or "ja").startswith("en") else "ja"
            raise InvalidInput(
                decision["reason"][language],
                code="publish_refused",
                details={"citations": decision["citations"]},
            )
        if check is None and asset.medium == Medium.ELECTRONIC:
            raise InvalidInput(
                _(
                    "公表するファイルを添えてください。格付の表示や個人情報が含まれていないか"
                    "確認してから公表済にします（%(clause)s）。"
                )
                % {"clause": services.PUBLISH_CLAUSE},
                code="publish_file_required",
                details={"files": "required", "citation": services.PUBLISH_CLAUSE},
            )
        if check is not None and check.verdict.blocked:
            raise PublicationBlocked(
                _refusal_message(check.verdict),
                check=check,
                details={
                    "citation": check.verdict.citations[0],
                    "citations": check.verdict.citations,
                    "reasons": [r.as_dict() for r in check.verdict.reasons],
                    "summary": scan_services.summary(check.results),
                },
            )
        asset.state = AssetState.PUBLISHED
        asset.state_changed_on = on or timezone.localdate()
        asset.save()
        data = {"on": asset.state_changed_on.isoformat(), "citation": services.PUBLISH_CLAUSE}
        if check is not None:
            data["scan"] = scan_services.trail_data(check)
        services._trail("assets.asset.published", actor, asset, data)
    return asset
