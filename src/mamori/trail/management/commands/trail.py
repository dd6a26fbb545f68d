"""`mamori trail verify` and `mamori trail prune --before YYYY-MM-DD [--dry-run]`.

verify exits 0 when the trail is intact and 1 when it is not (the first bad event on
stderr), so a scheduled job can alert on the exit code. prune exits 2 on a bad date.
"""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mamori.trail.services import TrailTampered, prune_segments
from mamori.trail.verify import verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or prune expired segments."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{verify,prune}")
        check = commands.add_parser("verify", help="recompute every hash; exit 1 if tampered")
        check.add_argument("--batch", type=int, default=5000, help="events read per query")
        prune = commands.add_parser(
            "prune", help="delete closed segments whose last event is before a date"
        )
        prune.add_argument(
            "--before",
            required=True,
            metavar="YYYY-MM-DD",
            help="local date (Asia/Tokyo); segments ending before it go",
        )
        prune.add_argument(
            "--dry-run", action="store_true", help="show what would be deleted, delete nothing"
        )

    def handle(self, *args, action: str, **options):
        if action == "verify":
            self._verify(options["batch"])
        else:
            self._prune(options["before"], options["dry_run"])

    def _verify(self, batch: int) -> None:
        if batch < 1:
            raise CommandError(_("--batch は 1 以上にしてください。"), returncode=2)
        result = verify(batch=batch)
        if result.ok:
            self.stdout.write(
                _("OK: %(count)s 件のイベントを検証しました") % {"count": f"{result.checked:,}"}
            )
            return
        self.stderr.write(_("TAMPERED: %(reason)s") % {"reason": result.reason})
        self.stderr.write(
            _("（問題のない %(count)s 件を確認した後に検出）") % {"count": f"{result.checked:,}"}
        )
        sys.exit(1)

    def _prune(self, before: str, dry_run: bool) -> None:
        try:
            day = date.fromisoformat(before)
        except ValueError:
            raise CommandError(
                _(
                    "--before の日付が正しくありません: %(value)s（YYYY-MM-DD の形式で指定してください）"
                )
                % {"value": before},
                returncode=2,
            ) from None
        try:
            result = prune_segments(day, dry_run=dry_run)
        except TrailTampered as exc:
            self.stderr.write(_("TAMPERED: %(reason)s") % {"reason": exc.message})
            sys.exit(1)
        values = {
            "segments": f"{len(result.segments):,}",
            "events": f"{result.events:,}",
            "first": result.first_seq,
            "last": result.last_seq,
            "before": day.isoformat(),
        }
        if not result.segments:
            self.stdout.write(_("%(before)s より前に終わった削除対象の区間はありません") % values)
        elif dry_run:
            self.stdout.write(
                _(
                    "削除予定（実行していません）: %(segments)s 区間、%(events)s 件"
                    "（イベント #%(first)s〜#%(last)s）"
                )
                % values
            )
        else:
            self.stdout.write(
                _(
                    "削除しました: %(segments)s 区間、%(events)s 件"
                    "（イベント #%(first)s〜#%(last)s）"
                )
                % values
            )
