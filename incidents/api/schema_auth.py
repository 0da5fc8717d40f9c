"""The schema class every API view is described by (``DEFAULT_SCHEMA_CLASS``).

It says what a reader may do without signing in: drf-spectacular marks anonymous
access (``{}`` in ``security``) only for ``AllowAny`` and
``IsAuthenticatedOrReadOnly``, so the incident endpoints, guarded by
``DjangoModelPermissionsOrAnonReadOnly``, read as if a token or cookie were needed
to list published incidents. Their safe methods are public, and say so.

(Its own module: DRF imports it while drf-spectacular's views are still loading,
so it may import nothing that imports them.)
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import (
    SAFE_METHODS,
    DjangoModelPermissionsOrAnonReadOnly,
)


class PublicReadsSchema(AutoSchema):
    """drf-spectacular's schema, anonymous reads declared where they are allowed."""

    def get_auth(self):
        auths = super().get_auth()
        public_read = self.method in SAFE_METHODS and any(
            isinstance(permission, DjangoModelPermissionsOrAnonReadOnly)
            for permission in self.view.get_permissions()
        )
        if public_read and {} not in auths:
            auths.append({})
        return auths
