"""`mamori sharing_survey_reminders`: the daily reminder of the 浸透状況 survey for the
operators who have not submitted (run by cron once a day; a second run on the same day
reminds nobody twice)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mamori.sharing.services_survey import send_reminders


class Command(BaseCommand):
    help = "Remind CI operators of the open 浸透状況 survey (行動計画 Ⅴ.1.4.2(1))."

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
        self.stdout.write(_("浸透状況調査の督促: %(count)d人") % {"count": count})
