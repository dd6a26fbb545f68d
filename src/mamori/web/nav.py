"""The primary navigation: a small registry each app adds its entries to.

An app registers its items once (for example in its AppConfig.ready()):

    from mamori.web.nav import NavItem, register
    register(NavItem("assets", _("情報資産"), "assets:list", roles=None, order=40))

`items_for(person)` returns the items that person may see, in order, with their URLs
resolved. An item whose URL name does not exist (an app not installed, a module not
built yet) is left out instead of breaking every page.

The header shows the items in a short row of groups, each a disclosure menu. An item
names its group with `group=` (a key registered with `register_group`: the
foundation's groups are at the end of this module):

    register(NavItem("assets", _("情報資産台帳"), "assets:list", None, 40, group="handling"))

`menu_for(items)` folds the visible items into that row: a group stands where its first
visible item would, shows only when one of its items is visible, and is marked current
when it holds the page being shown. An item without a (known) group stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.org.scope import ROSTER_ROLES, role_codes
from mamori.trail.models import VIEWER_ROLES as TRAIL_VIEWER_ROLES


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise  # lazy, so it follows the reader's language
    url_name: str
    roles: tuple[str, ...] | None = None  # None: everyone signed in
    order: int = 100
    group: str = ""  # a key of the registered groups; "": a link of its own

    def visible_to(self, codes: set[str]) -> bool:
        return self.roles is None or bool(codes & set(self.roles))


@dataclass(frozen=True)
class ResolvedNavItem:
    key: str
    label: str | Promise
    url: str
    current: bool = False  # the page being shown belongs to this item
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the menu's top row: a group of visible items, or a lone item."""

    key: str
    label: str | Promise
    items: tuple[ResolvedNavItem, ...]

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)

    @property
    def link(self) -> ResolvedNavItem | None:
        """The only item, when there is just one: shown as a plain link, not a menu."""
        return self.items[0] if len(self.items) == 1 else None


_registry: dict[str, NavItem] = {}
_groups: dict[str, NavGroup] = {}


def register_group(group: NavGroup) -> NavGroup:
    """Add or replace (by key) one group of the menu's top row."""
    _groups[group.key] = group
    return group


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
        visible.append(ResolvedNavItem(item.key, item.label, url, group=item.group))
    if path is not None:
        key = current_key(visible, path)
        visible = [replace(item, current=item.key == key) for item in visible]
    return visible


def menu_for(items: list[ResolvedNavItem]) -> list[MenuEntry]:
    """The top row of the menu for `items` (as items_for returns them, in order)."""
    entries: dict[str, list[ResolvedNavItem]] = {}
    for item in items:
        group = _groups.get(item.group)
        entries.setdefault(group.key if group else "item:" + item.key, []).append(item)
    return [
        MenuEntry(key, _groups[key].label, tuple(members))
        if key in _groups
        else MenuEntry(members[0].key, members[0].label, tuple(members))
        for key, members in entries.items()
    ]


def current_key(items: list[ResolvedNavItem], path: str) -> str | None:
    """The key of the item the page at `path` belongs to: the longest matching URL prefix.

    The dashboard lives at "/" and would prefix everything, so it matches only itself."""
    best: ResolvedNavItem | None = None
    for item in items:
        matches = path == item.url if item.url == "/" else path.startswith(item.url)
        if matches and (best is None or len(item.url) > len(best.url)):
            best = item
    return best.key if best else None


# The groups of the top row, each shown where its first visible item would stand.
register_group(NavGroup("home", pgettext_lazy("menu", "ホーム")))
register_group(NavGroup("handling", pgettext_lazy("menu", "取扱い・申請")))
register_group(NavGroup("reports", pgettext_lazy("menu", "報告")))
register_group(NavGroup("checks", pgettext_lazy("menu", "点検・監査")))
register_group(NavGroup("sharing", pgettext_lazy("menu", "情報共有")))
register_group(NavGroup("admin", pgettext_lazy("menu", "管理")))

# The foundation's own items. Later modules register theirs between these orders.
register(NavItem("dashboard", _("ダッシュボード"), "web:dashboard", None, 10, group="home"))
register(NavItem("tasks", _("自分のタスク"), "web:tasks", None, 20, group="home"))
register(NavItem("approvals", _("申請"), "approvals:list", None, 30, group="handling"))
register(NavItem("calendar", _("期限カレンダー"), "calendar:month", None, 35, group="home"))
register(NavItem("trail", _("証跡"), "trail:list", TRAIL_VIEWER_ROLES, 900, group="admin"))
register(NavItem("org", _("組織と役割"), "org:people", ROSTER_ROLES, 910, group="admin"))
register(NavItem("tokens", _("APIトークン"), "web:tokens", None, 990, group="admin"))
