"""Admin forms: names edited one per line, points checked before the database is,
and a new incident checked against the incidents on record before it is saved.

The map in the change forms writes into the same latitude/longitude inputs an editor
types into, so every check here holds for map clicks too.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ..corroborate import find_candidates, report_for_entry
from ..models import Actor, Incident, Site
from .candidates import candidate_rows

# Marks the fieldset (latitude and longitude first) the template draws the map above.
POINT_MAP_CLASS = "has-point-map"


class AliasesField(forms.CharField):
    """A list of names edited as one name per line; JSON is no way to type Arabic."""

    widget = forms.Textarea(attrs={"rows": 4, "dir": "auto"})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        lines = (line.strip() for line in text.splitlines())
        # dict.fromkeys: drop repeats but keep the editor's order.
        return list(dict.fromkeys(line for line in lines if line))


class PointForm(forms.ModelForm):
    """Checks the point before the database does.

    The model's check constraints would reject latitude 95 or half a pair as well,
    but as a form-wide message; here the editor sees it on the field to correct.
    """

    _LIMITS = {"latitude": 90, "longitude": 180}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in self._LIMITS.items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.validators += [MinValueValidator(-limit), MaxValueValidator(limit)]
            field.widget.attrs.update(min=-limit, max=limit, step="any")

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in self._LIMITS):
            return cleaned
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Give both latitude and longitude, or neither."))
        return cleaned


def _aliases_field() -> AliasesField:
    return AliasesField(
        label=_("Aliases"),
        required=False,
        help_text=_("Every other spelling, in any script: one per line."),
    )


class SiteForm(PointForm):
    aliases = _aliases_field()

    class Meta:
        model = Site
        fields = [
            "name",
            "name_ar",
            "slug",
            "aliases",
            "kind",
            "country",
            "admin1",
            "latitude",
            "longitude",
            "precision_m",
            "location_source",
        ]


class ActorForm(forms.ModelForm):
    aliases = _aliases_field()

    class Meta:
        model = Actor
        fields = ["name", "name_ar", "slug", "aliases", "kind", "parent"]


class IncidentForm(PointForm):
    """The incident form. Adding one (``checks_candidates``, set by the admin for
    its add form with the ``requester``) first looks for the incidents on record
    it may repeat (``corroborate``): when there are any, the form shows them
    (``candidates``) and does not save until the editor ticks ``confirm_new``.

    The match uses the form's own fields: date and precision, event type, weapon,
    sites, and the point when no site is named. The actors come from the inline
    formsets, which the form's ``clean`` cannot see, so they do not take part here
    (they only rank candidates, never make or unmake one); the proposals recorded
    after saving (``IncidentAdmin.save_related``) are matched with them.
    """

    confirm_new = forms.BooleanField(
        label=_("I have checked these: save as a new incident"),
        required=False,
        help_text=_(
            "It is then proposed to a reviewer as a possible repeat of the "
            "incidents above; a reviewer merges or dismisses the proposal."
        ),
    )

    checks_candidates = False
    requester = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = []

    def clean(self):
        cleaned = super().clean()
        if not self.checks_candidates or self.instance.pk is not None or self.errors:
            return cleaned
        report = report_for_entry(
            fields=cleaned,
            site_ids=[site.pk for site in cleaned.get("sites") or ()],
        )
        if report is None:
            return cleaned
        self.candidates = candidate_rows(
            user=self.requester, candidates=find_candidates(report)
        )
        if self.candidates and not cleaned.get("confirm_new"):
            raise forms.ValidationError(
                _(
                    "This may be an incident already on record: check the "
                    "incidents below. To save it anyway, tick “I have checked "
                    "these” and save again."
                ),
                code="candidates",
            )
        return cleaned

    class Meta:
        model = Incident
        fields = [
            "occurred_on",
            "occurred_at",
            "date_precision",
            "event_type",
            "weapon",
            "status",
            "external_id",
            "sites",
            "country",
            "admin1",
            "latitude",
            "longitude",
            "precision_m",
            "injured",
            "killed",
            "damage",
            "summary",
        ]
