"""`mamori audit_reminders`: remind owners of improvement measures, and officers of
improvement plans not yet reported, falling due (7 and 1 working days ahead) or overdue.
Run daily; each is reminded at most once a day."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from mamori.compliance.audits.services_plans import send_reminders


class Command(BaseCommand):
    help = "Remind owners of improvement measures and plans that fall due or are overdue."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = parse_date(options["today"]) if options.get("today") else None
        count = send_reminders(today)
        self.stdout.write(f"{count} reminder(s) sent")
