"""System checks (``manage.py check``) for Basewatch's own settings."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def geocoder_settings_check(app_configs, **kwargs) -> list[Error]:
    from .geo.chain import check_geocoder_names

    errors = []
    try:
        check_geocoder_names(list(settings.BASEWATCH_GEOCODERS))
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="basewatch.E001"))
    if settings.BASEWATCH_GEOCODER_MIN_DELAY < 0:
        errors.append(
            Error(
                "BASEWATCH_GEOCODER_MIN_DELAY must be 0 or more seconds.",
                id="basewatch.E002",
            )
        )
    return errors
