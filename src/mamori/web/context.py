"""Template context for every page: who is signed in, what they may open, unread notices.

At most three queries per page (the person with their organisation, their role
assignments, the unread count), each reused when something earlier in the request
already loaded it. The navigation and the count are evaluated lazily, so an htmx
fragment that never shows the header costs nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject

from mamori.web.nav import items_for, menu_for


def current_person(request):
    """The signed-in user's Person (organisation loaded), or None.

    Cached on the user object the way `request.user.person` caches it, so views,
    middleware and this processor share one lookup."""
    person = getattr(request, "person", None)  # set by access.person_required
    if person is not None:
        return person
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    related = get_user_model().person.related
    if not related.is_cached(user):
        from mamori.org.models import Person

        person = (
            Person.objects.select_related("organization", "unit").filter(user_id=user.pk).first()
        )
        related.set_cached_value(user, person)
    return getattr(user, "person", None)


def _unread_count(person) -> int:
    from mamori.notices.models import Notification

    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def navigation(request):
    person = current_person(request)
    if person is None:
        return {"current_person": None, "nav_items": [], "nav_menu": [], "unread_notice_count": 0}
    items = SimpleLazyObject(lambda: items_for(person, request.path))
    return {
        "current_person": person,
        "nav_items": items,
        "nav_menu": SimpleLazyObject(lambda: menu_for(items)),
        "unread_notice_count": SimpleLazyObject(lambda: _unread_count(person)),
    }
