"""Importing the official catalog of a rulebook: upload (check, then keep the parsed
entries as a pending preview), apply, discard. One function per state change, each with
its trail event in the same transaction.

The seeds abbreviate many 統一基準 clauses （略）; the agency holds the full text. A file
with any bad row changes nothing and every error is listed (requirements_import). The
confirmation applies the entries stored at upload, never data posted again. An import is
checked against, and merged onto, the committed catalog: each import is the full official
catalog and the latest applied one counts (mamori.compliance.catalogs)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.compliance import catalogs, permissions
from mamori.compliance.imports import ImportRejected, checked_name
from mamori.compliance.models import CatalogImport, ImportState
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.rules.requirements import FILES, load_all
from mamori.rules.requirements_import import parse_import
from mamori.trail.services import record

IMPORT_TYPES = ("yaml", "yml", "xlsx")


def _check_may_import(person, rulebook: str) -> None:
    if rulebook not in FILES:
        raise InvalidInput(_("不明な規程です。"), details={"rulebook": rulebook})
    if not permissions.may_import(person, rulebook):
        raise Forbidden(_("この規程のカタログを取り込む権限がありません。"))


def upload_catalog(person, rulebook: str, name: str, data: bytes) -> CatalogImport:
    """Check a file and keep it as a pending import (the preview); ImportRejected lists
    every error and nothing is stored."""
    _check_may_import(person, rulebook)
    name = checked_name(name, len(data), IMPORT_TYPES)
    committed = load_all()[rulebook]
    result = parse_import(data, name, rulebook=rulebook, catalog=committed)
    if result.errors:
        raise ImportRejected(list(result.errors))
    entries = [catalogs.entry_to_json(entry) for entry in result.entries]
    merged = catalogs.merged(committed, rulebook, entries)
    with transaction.atomic():
        pending = CatalogImport.objects.create(
            rulebook=rulebook,
            file_name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            entries=entries,
            filled=len(merged.filled),
            added=len(merged.added),
            conflicts=len(merged.conflicts),
            conflict_ids=list(merged.conflicts),
            imported_by=person,
            organization_id=person.organization_id,
        )
        record(
            "compliance.catalog_import.uploaded",
            actor=person.user,
            obj=pending,
            data={
                "rulebook": rulebook,
                "file": name,
                "sha256": pending.sha256,
                "entries": len(entries),
                "filled": pending.filled,
                "added": pending.added,
                "conflicts": pending.conflicts,
            },
            organization_id=person.organization_id,
        )
    return pending


def _locked_pending(person, pending: CatalogImport) -> CatalogImport:
    """The import, locked, once the person may decide it: their organisation uploaded it
    and it still waits for confirmation."""
    _check_may_import(person, pending.rulebook)
    locked = CatalogImport.objects.select_for_update().get(pk=pending.pk)
    if locked.organization_id != person.organization_id:
        raise Forbidden(_("他の組織の取込みは確定も破棄もできません。"))
    if locked.state != ImportState.PENDING:
        raise InvalidTransition(_("この取込みは確認待ちではありません。"))
    return locked


def apply_import(person, pending: CatalogImport) -> CatalogImport:
    """Make a pending import the effective catalog of its rulebook."""
    with transaction.atomic():
        locked = _locked_pending(person, pending)
        locked.state = ImportState.APPLIED
        locked.imported_at = timezone.now()
        locked.save(update_fields=["state", "imported_at"])
        record(
            "compliance.catalog_import.applied",
            actor=person.user,
            obj=locked,
            data={
                "rulebook": locked.rulebook,
                "sha256": locked.sha256,
                "filled": locked.filled,
                "added": locked.added,
                "conflicts": locked.conflicts,
            },
            organization_id=person.organization_id,
        )
    catalogs.clear_cache()
    return locked


def discard_import(person, pending: CatalogImport) -> CatalogImport:
    with transaction.atomic():
        locked = _locked_pending(person, pending)
        locked.state = ImportState.DISCARDED
        locked.entries = []
        locked.save(update_fields=["state", "entries"])
        record(
            "compliance.catalog_import.discarded",
            actor=person.user,
            obj=locked,
            data={"rulebook": locked.rulebook, "sha256": locked.sha256},
            organization_id=person.organization_id,
        )
    return locked
