"""How sure we are that an incident happened, derived from who says so.

Never typed in: it follows from the citations, so a reader can always see *why*.

- *disputed*: some source denies it. Checked first, so a denial is never hidden
  behind a confirmation.
- *confirmed*: an official or independent source (anything but a claim channel)
  confirms it.
- *claimed*: every source is the perpetrator's side: a claim, or a claim channel.
- *reported*: anything else, including no source at all.

The same rule exists twice, once in Python for one incident and once as SQL for a
queryset (to filter and count a million rows without loading them); a test holds the
two to the same answers.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

DENIES = "denies"
CONFIRMS = "confirms"
CLAIMS = "claims"
CLAIM_CHANNEL = "claim_channel"


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    REPORTED = "reported", _("reported")
    CLAIMED = "claimed", _("claimed")
    DISPUTED = "disputed", _("disputed")


EXPLANATIONS = {
    Confidence.DISPUTED: _("At least one source denies it."),
    Confidence.CONFIRMED: _("An official or independent source confirms it."),
    Confidence.CLAIMED: _("Only the perpetrator's side says so."),
    Confidence.REPORTED: _(
        "Reported, but not confirmed by an official or independent source."
    ),
}


def _is_claim_side(stance: str, source_kind: str) -> bool:
    return stance == CLAIMS or source_kind == CLAIM_CHANNEL


def derive_confidence(citations: Iterable[tuple[str, str]]) -> Confidence:
    """Confidence from ``(stance, source_kind)`` pairs."""
    pairs = list(citations)
    if any(stance == DENIES for stance, _kind in pairs):
        return Confidence.DISPUTED
    if any(stance == CONFIRMS and kind != CLAIM_CHANNEL for stance, kind in pairs):
        return Confidence.CONFIRMED
    if pairs and all(_is_claim_side(stance, kind) for stance, kind in pairs):
        return Confidence.CLAIMED
    return Confidence.REPORTED


def confidence_expression() -> Case:
    """The same rule as ``derive_confidence``, as an SQL expression on Incident."""
    from ..models import Citation  # the model module imports this one

    cited = Citation.objects.filter(incident=OuterRef("pk"))
    claim_side = Q(stance=CLAIMS) | Q(source__kind=CLAIM_CHANNEL)
    return Case(
        When(
            Exists(cited.filter(stance=DENIES)), then=Value(Confidence.DISPUTED.value)
        ),
        When(
            Exists(cited.filter(stance=CONFIRMS).exclude(source__kind=CLAIM_CHANNEL)),
            then=Value(Confidence.CONFIRMED.value),
        ),
        When(
            Exists(cited.filter(claim_side)) & ~Exists(cited.exclude(claim_side)),
            then=Value(Confidence.CLAIMED.value),
        ),
        default=Value(Confidence.REPORTED.value),
        output_field=models.CharField(),
    )


if TYPE_CHECKING:  # the mixin is only ever mixed into a QuerySet
    _QuerySet = models.QuerySet
else:
    _QuerySet = object


class ConfidenceQuerySetMixin(_QuerySet):
    def with_confidence(self):
        return self.annotate(confidence_level=confidence_expression())

    def with_confidence_in(self, levels: Iterable[str]):
        return self.with_confidence().filter(confidence_level__in=list(levels))
