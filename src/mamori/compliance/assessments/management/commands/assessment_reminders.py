"""`mamori assessment_reminders`: the daily reminder of unsubmitted self-assessment
checklists (run by cron once a day; running it twice on one day reminds nobody twice)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mamori.compliance.assessments.services_reminders import send_reminders


class Command(BaseCommand):
    help = "Remind owners of unsubmitted self-assessment checklists (統一基準(H30) 2.3.1)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to act as (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("日付はYYYY-MM-DDの形式で指定してください。")) from None
        count = send_reminders(today=today)
        self.stdout.write(_("自己点検票の督促: %(count)d人") % {"count": count})
