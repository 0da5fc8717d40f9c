"""The API's doors to one event, many reports: a reviewer's merge, and the proposed
merges editors and reviewers work through.

- ``POST incidents/<id>/merge/`` ``{"into": <survivor id>, "note": ...}``:
  reviewers merge ``<id>`` into ``into`` (``corroborate.merge``) and get the
  survivor back as a Feature; editors are told to propose instead (403).
- ``GET merge-proposals/`` (editors and reviewers: proposals name drafts) and
  ``POST merge-proposals/`` ``{"incident", "candidate", "reason"}`` (editors);
- ``POST merge-proposals/<id>/dismiss/`` ``{"note": ...}`` (reviewers).

The rules are ``rules.may_merge`` and ``rules.may_propose_merge``, asked before a
body is read, so a refused caller learns nothing about the ids it sent. Bodies
are strict: an unknown key is a 400 naming it, as an unknown query parameter is.
An id in the path that names nothing is a 404; one in the body, a 400 naming
its key. Nothing here is cached or conditional: proposals are not reader data
and do not move the data version.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import rules
from ..corroborate import (
    incidents_merge,
    merge_proposal_create,
    merge_proposal_dismiss,
)
from ..filters import params as p
from ..filters import parsers as pp
from ..models import Incident, MergeProposal
from .caching import VARY
from .pagination import paginate
from .schema import document
from .serializers import StrictSerializer
from .views import _feature_response

# As ``filters.parsers.parse_id``: at most 18 digits, so no id overflows a column.
MAX_ID = 10**18 - 1
NOTE_LENGTH = 2000
PROPOSE_INSTEAD = (
    "Only reviewers merge incidents. Propose the merge instead: POST "
    "/api/v1/merge-proposals/ with incident, candidate and reason."
)


class MergeSerializer(StrictSerializer):
    into = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="The survivor: the incident that keeps its id and takes in this "
        "one's sources, actors and sites.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTE_LENGTH,
        help_text="Why: kept in both incidents' history.",
    )


class MergeProposalCreateSerializer(StrictSerializer):
    incident = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The incident that may repeat."
    )
    candidate = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The incident it may repeat."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_LENGTH
    )


class DismissSerializer(StrictSerializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_LENGTH
    )


def _bad(errors: dict) -> serializers.ValidationError:
    return serializers.ValidationError(errors)


def _incident_from_body(pk: int, key: str) -> Incident:
    incident = Incident.objects.filter(pk=pk).first()
    if incident is None:
        raise _bad({key: f"no incident {pk}"})
    return incident


def _renamed(error: DjangoValidationError, names: dict[str, str], default: str):
    """The service's error, keyed by the names this endpoint's caller uses."""
    if hasattr(error, "error_dict"):
        return _bad(
            {names.get(key, key): value for key, value in error.message_dict.items()}
        )
    return _bad({default: error.messages})


def _side(incident: Incident) -> dict:
    return {
        "id": incident.pk,
        "occurred_on": incident.occurred_on.isoformat(),
        "event_type": incident.event_type,
        "status": incident.status,
        "merged_into": incident.merged_into_id,
    }


def _user_name(user) -> str | None:
    return None if user is None else user.get_username()


def proposal_json(proposal: MergeProposal) -> dict:
    return {
        "id": proposal.pk,
        "incident": _side(proposal.incident),
        "candidate": _side(proposal.candidate),
        "origin": proposal.origin,
        "reason": proposal.reason,
        "status": proposal.status,
        "proposed_by": _user_name(proposal.proposed_by),
        "created_at": proposal.created_at.isoformat(),
        "decided_by": _user_name(proposal.decided_by),
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
        "decision_note": proposal.decision_note,
    }


def _proposals():
    return MergeProposal.objects.select_related(
        "incident", "candidate", "proposed_by", "decided_by"
    )


class IncidentMergeView(APIView):
    """POST: merge this incident into ``into`` (reviewers)."""

    permission_classes = [IsAuthenticated]

    @document("incident_merge")
    def post(self, request: Request, incident_id: str) -> HttpResponse:
        if not rules.may_merge(request.user):
            if rules.may_propose_merge(request.user):
                raise PermissionDenied(PROPOSE_INSTEAD)
            raise PermissionDenied("You may not merge incidents.")
        p.parse_query(request.query_params, [])
        merged = Incident.objects.filter(pk=pp.parse_id(incident_id)).first()
        if merged is None:
            raise NotFound(f"no incident {incident_id}")
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        survivor = _incident_from_body(body.validated_data["into"], "into")
        try:
            survivor = incidents_merge(
                survivor=survivor,
                merged=merged,
                user=request.user,
                note=body.validated_data["note"],
            )
        except DjangoValidationError as error:
            raise _renamed(
                error, {"survivor": "into", "merged": "id"}, "into"
            ) from error
        return _feature_response(survivor, 200)


class MergeProposalListView(APIView):
    """GET: proposed merges, newest first; POST: propose one (editors)."""

    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not rules.may_propose_merge(request.user):
            raise PermissionDenied("Only editors and reviewers see or propose merges.")

    @document("merge_proposal_list")
    def get(self, request: Request) -> Response:
        parsed = p.parse_query(
            request.query_params, [*p.PROPOSAL_FILTERS, *p.PAGINATION]
        )
        proposals = _proposals().order_by("-created_at", "-id")
        if "status" in parsed:
            proposals = proposals.filter(status__in=parsed["status"])
        if "incident" in parsed:
            pk = parsed["incident"]
            proposals = proposals.filter(Q(incident_id=pk) | Q(candidate_id=pk))
        page = paginate(request, proposals, parsed)
        response = Response(
            {
                "count": page.count,
                "next": page.next,
                "previous": page.previous,
                "results": [proposal_json(row) for row in page.rows],
            }
        )
        # Not conditional (see the module docstring): never reused unasked.
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, VARY)
        return response

    @document("merge_proposal_create")
    def post(self, request: Request) -> Response:
        p.parse_query(request.query_params, [])
        body = MergeProposalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            proposal = merge_proposal_create(
                incident=_incident_from_body(data["incident"], "incident"),
                candidate=_incident_from_body(data["candidate"], "candidate"),
                user=request.user,
                reason=data["reason"],
            )
        except DjangoValidationError as error:
            raise _renamed(error, {}, "candidate") from error
        return Response(proposal_json(_proposals().get(pk=proposal.pk)), status=201)


class MergeProposalDismissView(APIView):
    """POST: the two are different events (reviewers)."""

    permission_classes = [IsAuthenticated]

    @document("merge_proposal_dismiss")
    def post(self, request: Request, proposal_id: str) -> Response:
        if not rules.may_merge(request.user):
            raise PermissionDenied("Only a reviewer may dismiss a proposed merge.")
        p.parse_query(request.query_params, [])
        proposal = MergeProposal.objects.filter(pk=pp.parse_id(proposal_id)).first()
        if proposal is None:
            raise NotFound(f"no merge proposal {proposal_id}")
        body = DismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            merge_proposal_dismiss(
                proposal=proposal, user=request.user, note=body.validated_data["note"]
            )
        except DjangoValidationError as error:
            raise _renamed(error, {}, "status") from error
        return Response(proposal_json(_proposals().get(pk=proposal.pk)))
