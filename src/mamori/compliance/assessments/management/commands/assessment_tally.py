"""`mamori assessment_tally --rebuild [--plan ID]`: recount the running answer tally
(AnswerTally) of the self-assessment from the items, for repair after a change made
outside the services (a database fix, a restore). Without --plan, every plan."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mamori.compliance.assessments import tally
from mamori.compliance.assessments.models import AssessmentPlan


class Command(BaseCommand):
    help = "Rebuild the self-assessment answer tally from the checklist items."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="recount the tally from the items"
        )
        parser.add_argument("--plan", type=int, help="only this plan (its id)")

    def handle(self, *args, **options):
        if not options["rebuild"]:
            raise CommandError(_("--rebuild を指定してください。"))
        plans = AssessmentPlan.objects.order_by("pk")
        if options.get("plan") is not None:
            plans = plans.filter(pk=options["plan"])
            if not plans.exists():
                raise CommandError(
                    _("年度自己点検計画 %(id)s はありません。") % {"id": options["plan"]}
                )
        for plan in plans:
            rows = tally.rebuild(plan)
            self.stdout.write(
                _("%(plan)s: 回答の集計を%(rows)d行に作り直しました。")
                % {"plan": plan, "rows": rows}
            )
