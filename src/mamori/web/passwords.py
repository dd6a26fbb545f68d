"""Password rule: not derived from the user's own name (統一基準(R7) 8.1.1(6) 解説
「推測されないもの」: 利用者の名前や利用者個人に関連する情報から簡単に派生させたものを用いない)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MIN_PART = 3


def _parts(user) -> set[str]:
    values = [
        getattr(user, "username", ""),
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        (getattr(user, "email", "") or "").split("@")[0],
    ]
    person = getattr(user, "person", None) if getattr(user, "pk", None) else None
    if person is not None:
        values += [
            person.family_name,
            person.given_name,
            person.name_en,
            person.family_name_kana,
            person.given_name_kana,
            person.employee_number,
        ]
    parts = set()
    for value in values:
        for piece in re.split(r"[\s._\-@]+", (value or "").lower()):
            if len(piece) >= _MIN_PART:
                parts.add(piece)
    return parts


class NotDerivedFromNameValidator:
    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        lowered = password.lower()
        if any(part in lowered for part in _parts(user)):
            raise ValidationError(
                _("パスワードに自分の名前・ユーザー名・職員番号を含めないでください。"),
                code="password_derived_from_name",
            )

    def get_help_text(self) -> str:
        return _("自分の名前・ユーザー名・職員番号を含まない、推測されにくいものにしてください。")
