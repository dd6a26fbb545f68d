"""The primary navigation: a small registry each app adds its entries to.

An app registers its items once (for example in its AppConfig.ready()):

    from mamori.web.nav import NavItem, register
    register(NavItem("assets", _("情報資産"), "assets:list", roles=None, order=40))

`items_for(person)` returns the items that person may see, in order, with their URLs
resolved. An item whose URL name does not exist (an app not installed, a module not
built yet) is left out instead of breaking every page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mamori.org.scope import ROSTER_ROLES, role_codes
from mamori.trail.models import VIEWER_ROLES as TRAIL_VIEWER_ROLES


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise  # lazy, so it follows the reader's language
    url_name: str
    roles: tuple[str, ...] | None = None  # None: everyone signed in
    order: int = 100

    def visible_to(self, codes: set[str]) -> bool:
        return self.roles is None or bool(codes & set(self.roles))


@dataclass(frozen=True)
class ResolvedNavItem:
    key: str
    label: str | Promise
    url: str
    current: bool = False  # the page being shown belongs to this item


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> NavItem:
    """Add or replace (by key) one navigation item."""
    _registry[item.key] = item
    return item


def unregister(key: str) -> None:
    _registry.pop(key, None)


def registered() -> list[NavItem]:
    return sorted(_registry.values(), key=lambda item: (item.order, item.key))


def items_for(person, path: str | None = None) -> list[ResolvedNavItem]:
    """The items `person` may see, in order; [] for nobody (anonymous, or no Person).

    With `path` (the current request path), the item that page belongs to is marked
    `current`."""
    if person is None or not getattr(person, "active", True):
        return []
    codes = role_codes(person)
    visible = []
    for item in registered():
        if not item.visible_to(codes):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append(ResolvedNavItem(item.key, item.label, url))
    if path is not None:
        key = current_key(visible, path)
        visible = [replace(item, current=item.key == key) for item in visible]
    return visible


def current_key(items: list[ResolvedNavItem], path: str) -> str | None:
    """The key of the item the page at `path` belongs to: the longest matching URL prefix.

    The dashboard lives at "/" and would prefix everything, so it matches only itself."""
    best: ResolvedNavItem | None = None
    for item in items:
        matches = path == item.url if item.url == "/" else path.startswith(item.url)
        if matches and (best is None or len(item.url) > len(best.url)):
            best = item
    return best.key if best else None


# The foundation's own items. Later modules register theirs between these orders.
register(NavItem("dashboard", _("ダッシュボード"), "web:dashboard", None, 10))
register(NavItem("tasks", _("自分のタスク"), "web:tasks", None, 20))
register(NavItem("approvals", _("申請"), "approvals:list", None, 30))
register(NavItem("calendar", _("期限カレンダー"), "calendar:month", None, 35))
register(NavItem("trail", _("証跡"), "trail:list", TRAIL_VIEWER_ROLES, 900))
register(NavItem("org", _("組織と役割"), "org:people", ROSTER_ROLES, 910))
register(NavItem("tokens", _("APIトークン"), "web:tokens", None, 990))
