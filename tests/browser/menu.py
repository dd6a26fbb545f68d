"""Open a page from the main menu as a person does: open the item's group, then click it.

The menu groups its items in <details> disclosures; an item inside a closed group is not
visible, so a click on it would wait in vain."""

from __future__ import annotations


def open_from_menu(page, name: str, *, exact: bool = True) -> None:
    # Role queries skip hidden elements: the closed group is found by its hidden item.
    item = page.get_by_role("link", name=name, exact=exact, include_hidden=True)
    link = page.locator("nav.primary-nav").get_by_role("link", name=name, exact=exact).first
    if not link.is_visible():
        group = page.locator("nav.primary-nav details.primary-nav__group", has=item)
        group.locator("summary").click()
    link.click()
