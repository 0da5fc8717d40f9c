"""Who is asking, as selectors, services and the workflow take it: a signed-in
user, an anonymous visitor (``request.user`` either way), or ``None`` for the
system itself (commands, imports, migrations), which has no rights of a reader
and leaves no name in the history."""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # auth's models need the app registry; only type checkers read this
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

Requester: TypeAlias = "AbstractBaseUser | AnonymousUser | None"
