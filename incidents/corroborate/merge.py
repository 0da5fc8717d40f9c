"""A reviewer's merge of two incidents that are one event: the *survivor* keeps
its id and takes in the other's reports; the *merged* one is left a tombstone
(``status="merged"``, ``merged_into`` = the survivor) that the sync feed hands to
mirrors and that old links redirect from.

Who: ``rules.may_merge`` (reviewers, or the system), and ``rules.may_change_incident``
for both incidents, the one rule every door applies. Editors propose a merge
(``proposals.merge_proposal_create``); they never make one.

Refused, each a ValidationError naming ``survivor`` or ``merged``: an incident into
itself; a tombstone on either side (its survivor holds its reports: merge that);
a retracted incident on either side (its withdrawal stands until a reviewer
reinstates it); a published incident into one that is not published, which would
take a public record out of view and leave its old links redirecting to nothing
a reader may see: publish the survivor first.

What moves, all in one transaction with both rows locked (in primary-key order,
so two merges never deadlock), every row through the ORM so each change is in
the history with the reviewer and the reason ``merged #M into #S``:

- **citations** move to the survivor. A source cited by both stays one row, the
  survivor's: its empty quote and note are filled from the other's, and a
  different quote or note is appended to its note. Their stances may differ;
  the row keeps the one that weighs most in the confidence rule (denies, then
  confirms, then reports, then claims) and its note says what the other
  incident's row said. That is the one choice for which the survivor's derived
  confidence equals ``derive_confidence`` of both incidents' citations together:
  a denial is never lost, a claim never outweighs a report of the same source,
  and nothing becomes a confirmation that neither row was. The merge checks this
  equality and undoes itself if it does not hold;
- **involvements** move; one the survivor already has (same actor and role) is
  dropped, its note appended to the survivor's;
- **sites**: the survivor's first, in their order, then the other's it lacks;
- the survivor's **own fields** are kept, but empty ones are filled from the
  other: time, weapon (blank or ``unknown``), casualties (null: not reported),
  damage, summary, country, governorate, and the point with its precision when
  the survivor has none. Date, date precision, event type, status and
  ``external_id`` are never taken;
- the merged incident becomes the tombstone; it keeps its own fields,
  ``external_id`` and ``external_data`` (an importer that meets its outside id
  again follows ``merged_into``) and its site links, as a record of what it was.
  Tombstones that named it name the survivor now (no chains), and so do its
  attached outside reports (``ExternalReport``);
- **proposals**: those between the two become ``merged`` (decided by the
  reviewer, with the note); open ones naming the merged incident name the
  survivor instead, unless that would pair the survivor with itself or repeat a
  pair already proposed, in which case they are dropped.

Derived data stays current through the saves' own signals
(``incidents.upkeep.signals``): the data version goes up and the cluster rollup
recomputes both incidents' days.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import Citation, ExternalReport, Incident, Involvement, MergeProposal
from ..requester import Requester, author
from ..rules.confidence import CLAIMS, CONFIRMS, DENIES, derive_confidence

# Strongest first: see the module docstring.
STANCE_WEIGHT = {DENIES: 3, CONFIRMS: 2, "reports": 1, CLAIMS: 0}
# The history's change reason is at most 100 characters.
REASON_LENGTH = 100
NOTE_LENGTH = Involvement._meta.get_field("note").max_length
# Filled on the survivor when empty there ("" or None), each on its own.
FILLED_FIELDS = (
    "occurred_at",
    "injured",
    "killed",
    "damage",
    "summary",
    "country",
    "admin1",
)
S = Incident.Status


def merge_reason(*, survivor_id: int, merged_id: int, note: str = "") -> str:
    """The history's change reason on every row a merge writes."""
    reason = f"merged #{merged_id} into #{survivor_id}"
    note = " ".join(note.split())
    if note:
        reason = f"{reason}: {note}"
    if len(reason) > REASON_LENGTH:
        reason = reason[: REASON_LENGTH - 1] + "…"
    return reason


def merge_refusals(survivor: Incident, merged: Incident) -> dict[str, str]:
    """What makes this merge impossible, by the side it is about."""
    errors: dict[str, str] = {}
    if survivor.pk == merged.pk:
        errors["survivor"] = _("An incident cannot be merged into itself.")
        return errors
    for side, row in (("survivor", survivor), ("merged", merged)):
        if row.status == S.MERGED:
            errors[side] = _(
                "Incident #%(id)s is already merged into #%(into)s; "
                "merge its survivor instead."
            ) % {"id": row.pk, "into": row.merged_into_id}
        elif row.status == S.RETRACTED:
            errors[side] = _(
                "Incident #%(id)s is retracted; a reviewer reinstates it before "
                "it is merged."
            ) % {"id": row.pk}
    if errors:
        return errors
    if merged.status == S.PUBLISHED and survivor.status != S.PUBLISHED:
        errors["survivor"] = _(
            "Incident #%(merged)s is published and #%(survivor)s is not: merging "
            "would take a public record out of view. Publish #%(survivor)s first, "
            "or keep #%(merged)s."
        ) % {"merged": merged.pk, "survivor": survivor.pk}
    return errors


def _join(*texts: str, limit: int | None = None) -> str:
    """Distinct non-empty texts, one per line, in order (cut to ``limit``)."""
    parts = list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
    text = "\n".join(parts)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _save(row, *, user: Requester, reason: str, **kwargs) -> None:
    row._history_user = author(user)
    row._change_reason = reason
    row.save(**kwargs)


def _delete(row, *, user: Requester, reason: str) -> None:
    row._history_user = author(user)
    row._change_reason = reason
    row.delete()


def _citation_pairs(incident_ids: Iterable[int]) -> list[tuple[str, str]]:
    return list(
        Citation.objects.filter(incident_id__in=list(incident_ids)).values_list(
            "stance", "source__kind"
        )
    )


def _move_citations(survivor, merged, *, user, reason) -> None:
    kept = {c.source_id: c for c in Citation.objects.filter(incident=survivor)}
    for citation in Citation.objects.filter(incident=merged).order_by("pk"):
        mine = kept.get(citation.source_id)
        if mine is None:
            citation.incident = survivor
            _save(citation, user=user, reason=reason)
            continue
        # One source, two rows: keep the survivor's, with both rows' facts.
        notes = [mine.note, citation.note]
        if not mine.quote:
            mine.quote = citation.quote
        elif citation.quote and citation.quote.strip() != mine.quote.strip():
            notes.append(f'Quote in #{merged.pk}: "{citation.quote.strip()}"')
        if citation.stance != mine.stance:
            other = citation.stance
            if STANCE_WEIGHT[citation.stance] > STANCE_WEIGHT[mine.stance]:
                mine.stance, other = citation.stance, mine.stance
                notes.append(f"Stance in #{survivor.pk} before the merge: {other}.")
            else:
                notes.append(f"Stance in #{merged.pk} (merged): {other}.")
        mine.note = _join(*notes)
        _save(mine, user=user, reason=reason)
        _delete(citation, user=user, reason=reason)


def _move_involvements(survivor, merged, *, user, reason) -> None:
    kept = {
        (i.actor_id, i.role): i for i in Involvement.objects.filter(incident=survivor)
    }
    for involvement in Involvement.objects.filter(incident=merged).order_by("pk"):
        mine = kept.get((involvement.actor_id, involvement.role))
        if mine is None:
            involvement.incident = survivor
            _save(involvement, user=user, reason=reason)
            continue
        note = _join(mine.note, involvement.note, limit=NOTE_LENGTH)
        if note != mine.note:
            mine.note = note
            _save(mine, user=user, reason=reason)
        _delete(involvement, user=user, reason=reason)


def _add_sites(survivor, merged) -> None:
    """Append the merged incident's sites the survivor lacks, after its own.

    Written to the link table directly: the survivor's save that follows records
    its links in its history, in one record with its other changes."""
    through = Incident.sites.through
    have = set(
        through.objects.filter(incident=survivor).values_list("site_id", flat=True)
    )
    new = [
        site_id
        for site_id in through.objects.filter(incident=merged)
        .order_by("pk")
        .values_list("site_id", flat=True)
        if site_id not in have
    ]
    through.objects.bulk_create(
        [through(incident=survivor, site_id=site_id) for site_id in new]
    )


def _fill_empty(survivor: Incident, merged: Incident) -> list[str]:
    """Fill the survivor's empty fields from the merged incident; the names."""
    filled = []
    for name in FILLED_FIELDS:
        if getattr(survivor, name) in (None, "") and getattr(merged, name) not in (
            None,
            "",
        ):
            setattr(survivor, name, getattr(merged, name))
            filled.append(name)
    if survivor.weapon in ("", Incident.Weapon.UNKNOWN) and merged.weapon not in (
        "",
        Incident.Weapon.UNKNOWN,
    ):
        survivor.weapon = merged.weapon
        filled.append("weapon")
    if not survivor.has_location and merged.has_location:
        survivor.latitude, survivor.longitude = merged.latitude, merged.longitude
        survivor.precision_m = merged.precision_m
        filled += ["latitude", "longitude", "precision_m"]
    return filled


def _settle_proposals(survivor, merged, *, user, note: str, now) -> None:
    pair = Q(incident=survivor, candidate=merged) | Q(
        incident=merged, candidate=survivor
    )
    MergeProposal.objects.filter(pair).update(
        status=MergeProposal.Status.MERGED,
        decided_by=user,
        decided_at=now,
        decision_note=note,
    )
    proposed = {
        frozenset(p)
        for p in MergeProposal.objects.filter(
            Q(incident=survivor) | Q(candidate=survivor)
        ).values_list("incident_id", "candidate_id")
    }
    naming = MergeProposal.objects.open().filter(
        Q(incident=merged) | Q(candidate=merged)
    )
    for proposal in naming.order_by("pk"):
        if proposal.incident_id == merged.pk:
            proposal.incident_id = survivor.pk
        else:
            proposal.candidate_id = survivor.pk
        pair_ids = frozenset((proposal.incident_id, proposal.candidate_id))
        if len(pair_ids) < 2 or pair_ids in proposed:
            proposal.delete()
            continue
        proposed.add(pair_ids)
        proposal.save(update_fields=["incident", "candidate"])


@transaction.atomic
def incidents_merge(
    *, survivor: Incident, merged: Incident, user: Requester, note: str = ""
) -> Incident:
    """Merge ``merged`` into ``survivor`` (see the module docstring); the
    survivor, as saved. PermissionDenied unless a reviewer; ValidationError, by
    side, when the merge is refused."""
    if not rules.may_merge(user):
        raise PermissionDenied(
            _("Only a reviewer may merge incidents; propose the merge instead.")
        )
    if survivor.pk == merged.pk:
        raise ValidationError(merge_refusals(survivor, merged))
    locked = {
        row.pk: row
        for row in Incident.objects.select_for_update()
        .filter(pk__in=[survivor.pk, merged.pk])
        .order_by("pk")
    }
    for side, row in (("survivor", survivor), ("merged", merged)):
        if row.pk not in locked:  # deleted since it was read
            raise ValidationError(
                {side: _("Incident #%(id)s no longer exists.") % {"id": row.pk}}
            )
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    for row in (survivor, merged):
        rules.require_may_change_incident(user, status=row.status, incident_id=row.pk)
    errors = merge_refusals(survivor, merged)
    if errors:
        raise ValidationError(errors)

    reason = merge_reason(survivor_id=survivor.pk, merged_id=merged.pk, note=note)
    expected = derive_confidence(_citation_pairs([survivor.pk, merged.pk]))
    now = timezone.now()

    _move_citations(survivor, merged, user=user, reason=reason)
    _move_involvements(survivor, merged, user=user, reason=reason)
    _add_sites(survivor, merged)
    _fill_empty(survivor, merged)
    survivor.updated_by = author(user)
    survivor.full_clean(validate_constraints=True)
    _save(survivor, user=user, reason=reason)

    merged.status = S.MERGED
    merged.merged_into = survivor
    merged.updated_by = author(user)
    merged.full_clean(validate_constraints=True)
    _save(merged, user=user, reason=reason)
    # No chains: whatever was merged into the merged incident follows it.
    for tombstone in Incident.objects.filter(merged_into=merged).order_by("pk"):
        tombstone.merged_into = survivor
        tombstone.updated_by = author(user)
        _save(tombstone, user=user, reason=reason)
    ExternalReport.objects.filter(incident=merged).update(incident=survivor)
    _settle_proposals(survivor, merged, user=user, note=note, now=now)

    # Here, not at the top: services may come to call this package (proposals).
    from ..services import incident_apply_site_defaults

    survivor = incident_apply_site_defaults(incident=survivor)
    got = derive_confidence(_citation_pairs([survivor.pk]))
    if got != expected:  # the stance rule above is what guarantees this
        raise RuntimeError(
            f"merging #{merged.pk} into #{survivor.pk} would change the confidence "
            f"from {expected} to {got}"
        )
    return survivor
