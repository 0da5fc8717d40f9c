"""Named places and actors: sites (with an optional, checked point) and the groups,
forces and coalitions that act at them. Both are found by any of their names, folded
(``search_text``), and the helpers here are shared with the incident model."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..geo.names import normalize_name

# Field validators name the field in form and API errors; the check constraints
# below are the guarantee for every other way in.
LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]


def coordinate_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True)
            | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
        # Half a coordinate is no location: both or neither.
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_coordinates_paired",
        ),
        models.CheckConstraint(
            condition=Q(precision_m__isnull=True) | Q(precision_m__gte=0),
            name=f"{prefix}_precision_non_negative",
        ),
    ]


def build_search_text(*parts: str, aliases: list[str]) -> str:
    """Raw and folded forms of every name, one per line, for substring search."""
    names = [p for p in (*parts, *aliases) if p]
    folded = [normalize_name(n) for n in names]
    return "\n".join(dict.fromkeys([*names, *folded]))


class NamedQuerySet(models.QuerySet):
    def matching(self, text: str) -> "NamedQuerySet":
        """Rows whose name, Arabic name or any alias contains ``text`` (folded)."""
        folded = normalize_name(text)
        if not folded:
            return self.none()
        return self.filter(search_text__contains=folded)


class Site(models.Model):
    class Kind(models.TextChoices):
        BASE = "base", _("base")
        AIRFIELD = "airfield", _("airfield")
        OIL_FIELD = "oil_field", _("oil or gas field")
        OUTPOST = "outpost", _("outpost")
        CAMP = "camp", _("camp")
        TOWN = "town", _("town")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Every other spelling, in any script."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2")
    )
    admin1 = models.CharField(_("governorate / province"), max_length=100, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    precision_m = models.PositiveIntegerField(
        _("precision (m)"),
        null=True,
        blank=True,
        help_text=_("How far the true spot may be from the point."),
    )
    location_source = models.TextField(
        _("location source"),
        blank=True,
        help_text=_("Where the point came from, or why there is none."),
    )
    # Readers see a site from the reference gazetteer at once; any other only
    # once a published incident names it (``incidents.place_selectors``), so a
    # site created for a draft does not announce the draft's target.
    reference = models.BooleanField(
        _("reference gazetteer"),
        default=False,
        editable=False,
        help_text=_(
            "Loaded from the project's reference data: shown to readers even "
            "before a published incident names it."
        ),
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = NamedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = coordinate_constraints("site")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = build_search_text(
            self.slug, self.name, self.name_ar, aliases=self.aliases
        )
        super().save(*args, **kwargs)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Actor(models.Model):
    class Kind(models.TextChoices):
        ARMED_GROUP = "armed_group", _("armed group")
        STATE_FORCE = "state_force", _("state force")
        GOVERNMENT = "government", _("government")
        COALITION = "coalition", _("coalition")
        UNIDENTIFIED = "unidentified", _("unidentified")
        # ACLED's unarmed categories (inter 5, 6, 7): never counted as attackers.
        RIOTERS = "rioters", _("rioters")
        PROTESTERS = "protesters", _("protesters")
        CIVILIANS = "civilians", _("civilians")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("umbrella"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("The umbrella group or force this one belongs to."),
    )
    # As for sites: an actor outside the reference data is shown to readers only
    # once a published incident names it (or one of its members).
    reference = models.BooleanField(
        _("reference data"),
        default=False,
        editable=False,
        help_text=_(
            "Loaded from the project's reference data: shown to readers even "
            "before a published incident names it."
        ),
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = NamedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = build_search_text(
            self.slug, self.name, self.name_ar, aliases=self.aliases
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # A cycle would make "members of an umbrella" loop forever.
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("An actor cannot be its own umbrella.")}
                )
            ancestor = ancestor.parent
