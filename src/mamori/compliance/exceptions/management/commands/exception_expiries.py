"""`mamori exception_expiries [--date YYYY-MM-DD]`: run daily. Reminds owners before their
例外措置 end, marks those past their end without an end report as 期限切れ (owner and
許可権限者 are told) and expires the lapsed approvals."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from mamori.compliance.exceptions.services import process_expiries


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="the day to act as today (YYYY-MM-DD)")

    def handle(self, *args, **options) -> None:
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date: not a date: {options['date']!r}") from None
        counts = process_expiries(today)
        self.stdout.write(
            "reminded {reminded}, expired {expired}, approvals expired {approvals_expired}".format(
                **counts
            )
        )
