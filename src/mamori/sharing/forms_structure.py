"""Forms of NISC's structure pages (CEPTOAR members, handling agreements, sector
liaisons). They only gather input; mamori.sharing.services_structure checks the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.org.models import Organization, Person, RoleAssignment
from mamori.sharing.models import Party, PartyRole


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AgreementForm(forms.Form):
    agreed_on = forms.DateField(
        label=_("早期警戒情報の取扱いに関する取決めの合意日"),
        required=False,
        widget=DateInput(),
        help_text=_("空欄で登録すると取決めなし（取消し）になります。"),
    )


class MemberForm(forms.Form):
    operator = forms.ModelChoiceField(
        label=_("構成員に加える重要インフラ事業者等"), queryset=Party.objects.none()
    )

    def __init__(self, *args, ceptoar: Party, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        candidates = Party.objects.filter(
            role=PartyRole.OPERATOR, active=True, ceptoar__isnull=True
        ).select_related("organization")
        if ceptoar.sector:
            candidates = candidates.filter(sector=ceptoar.sector)
        field = self.fields["operator"]
        field.queryset = candidates.order_by("organization__name")
        field.label_from_instance = lambda party: str(party.organization)


def liaison_people():
    """Active people holding cip_liaison in a CI ministry on the hub."""
    holders = RoleAssignment.objects.active().filter(role="cip_liaison").values("person_id")
    return (
        Person.objects.filter(
            pk__in=holders,
            active=True,
            organization__sharing_party__role=PartyRole.CI_MINISTRY,
        )
        .select_related("organization")
        .order_by("organization__name", "family_name", "given_name")
    )


class LiaisonForm(forms.Form):
    ministry = forms.ModelChoiceField(
        label=_("重要インフラ所管省庁"), queryset=Organization.objects.none()
    )
    people = forms.ModelMultipleChoiceField(
        label=_("リエゾン"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("所管省庁の職員で、リエゾンの役割を持つ人に限ります。"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = Organization.objects.filter(
            sharing_party__role=PartyRole.CI_MINISTRY, sharing_party__active=True
        ).order_by("name")
        self.fields["people"].queryset = liaison_people()
        self.fields["people"].label_from_instance = lambda p: f"{p.organization} / {p}"
