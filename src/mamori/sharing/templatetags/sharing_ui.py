from django import template

from mamori.sharing import structure

register = template.Library()


@register.filter
def sector_label(code: str) -> str:
    return structure.sector_label(code) if code else "—"
