"""The roster: people and the roles they hold, scoped to the viewer's role scopes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mamori.org import scope
from mamori.org.models import OrgUnit, Person, RoleAssignment
from mamori.org.scope import ROSTER_ROLES
from mamori.rules import roles as catalogue
from mamori.web.access import person_required
from mamori.web.export import csv_response

SORTS = {
    "kana": ("family_name_kana", "given_name_kana", "id"),
    "unit": ("unit__path", "id"),
    "number": ("employee_number", "id"),
}


class PeopleFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("氏名・職員番号"), required=False, max_length=80)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("所属"), required=False, queryset=OrgUnit.objects.none()
    )
    role = forms.ChoiceField(label=gettext_lazy("役割"), required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("並び順"),
        required=False,
        choices=[
            ("kana", gettext_lazy("氏名（かな）")),
            ("unit", gettext_lazy("所属")),
            ("number", gettext_lazy("職員番号")),
        ],
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            organization_id=person.organization_id
        )
        language = get_language() or "ja"
        self.fields["role"].choices = [("", _("すべて"))] + [
            (r.code, r.label(language))
            for r in catalogue.for_rulebooks(person.organization.rulebooks)
        ]


def _people(request):
    viewer = request.person
    if not scope.has_role(viewer, *ROSTER_ROLES):
        raise PermissionDenied(_("職員名簿を見る役割を持っていません。"))
    queryset = Person.objects.filter(organization_id=viewer.organization_id).filter(
        scope.visible_unit_filter(viewer, field="unit", roles=ROSTER_ROLES)
    )
    form = PeopleFilter(request.GET or None, person=viewer)
    sort = SORTS["kana"]
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"]
            queryset = queryset.filter(
                Q(family_name__icontains=q)
                | Q(given_name__icontains=q)
                | Q(family_name_kana__icontains=q)
                | Q(name_en__icontains=q)
                | Q(employee_number__icontains=q)
            )
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data["role"]:
            queryset = queryset.filter(
                role_assignments__in=RoleAssignment.objects.active().filter(role=data["role"])
            ).distinct()
        sort = SORTS.get(data["sort"] or "kana", sort)
    queryset = (
        queryset.select_related("unit")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.active().select_related("unit", "system"),
                to_attr="current_roles",
            )
        )
        .order_by(*sort)
    )
    return form, queryset


@person_required
def people(request):
    form, queryset = _people(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "org/people.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@person_required
def people_export(request):
    _form, queryset = _people(request)

    whole_org = _("組織全体")

    def rows():
        for p in queryset:
            yield [
                p.employee_number,
                p.family_name,
                p.given_name,
                p.name_en,
                p.unit or "",
                p.get_employment_type_display(),
                p.email,
                " / ".join(
                    f"{a.role_label}（{a.unit or a.system or whole_org}）" for a in p.current_roles
                ),
            ]

    return csv_response(
        "people.csv",
        [
            _("職員番号"),
            _("姓"),
            _("名"),
            _("ローマ字氏名"),
            _("所属"),
            _("雇用形態"),
            _("メールアドレス"),
            _("役割"),
        ],
        rows(),
    )
