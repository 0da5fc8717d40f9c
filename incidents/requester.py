"""Who is asking, as selectors, services and the workflow take it: a signed-in
user, an anonymous visitor (``request.user`` either way), or ``None`` for the
system itself (commands, imports, migrations), which has no rights of a reader
and leaves no name in the history."""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # auth's models need the app registry; only type checkers read this
    from django.contrib.auth.models import AnonymousUser, User

# Basewatch uses Django's own user model (no AUTH_USER_MODEL), whose permissions
# the rules read with has_perm.
Requester: TypeAlias = "User | AnonymousUser | None"


def author(user: Requester) -> "User | None":
    """The account a write is recorded against (``created_by``, ``updated_by``, the
    history): a signed-in user, or ``None`` for the system. The rules refuse an
    anonymous visitor every write before it gets here; one that still does is a
    bug, and this says so rather than letting the foreign key refuse it later."""
    if user is not None and user.is_anonymous:
        raise ValueError("an anonymous visitor cannot be the author of a write")
    return user


def user_sees_unpublished(user: Requester) -> bool:
    """Whether ``user`` may see what readers may not: drafts, review items,
    retracted incidents' content, and sites and actors no published incident
    names yet (an active account holding the view permission)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("incidents.view_incident")
    )
