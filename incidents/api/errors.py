"""One error shape for every API failure: ``{"errors": {<parameter>: <what is wrong>}}``
for bad input (400), ``{"detail": ...}`` for everything else.

Bad input names the parameter it is about, so a client can point at it; nothing
reaches a 500.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ..filters.parsers import ParamError
from ..selectors import UnknownReference, UnpublishedForbidden


def api_exception_handler(exc, context):
    if isinstance(exc, ParamError):
        return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, UnknownReference):
        return Response(
            {"errors": {exc.field: f"unknown {exc.field}: {', '.join(exc.missing)}"}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, UnpublishedForbidden):
        # Well formed, but not the caller's to ask: 403, as the schema says.
        return Response({"detail": f"status: {exc}"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        response.data = {"errors": response.data}
    return response
