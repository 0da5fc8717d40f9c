"""DRF serializers: the small JSON resources (actors, sources) and incident writes.

Incidents and sites do not go through serializers on the read path: see
``features.py``. Writes validate here and are carried out by ``services``.
"""

from rest_framework import serializers

from ..models import (
    INCIDENT_CONTENT_FIELDS,
    Actor,
    Citation,
    Incident,
    Involvement,
    Site,
    Source,
)
from ..services import CitationInput, InvolvementInput


class StrictFields:
    """A body with a key the serializer does not accept is a 400 naming it.

    DRF drops unknown keys and read-only fields silently, so a PATCH with
    ``created_by`` or ``id`` would answer 200 and change nothing: a client could
    not tell a typo from a write. Write bodies are held to the rule query strings
    follow (an unknown parameter is named), here for every write serializer."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(str(key) for key in set(data) - writable)
            if unknown:
                accepted = ", ".join(sorted(writable))
                raise serializers.ValidationError(
                    {
                        key: f"unknown or read-only field; accepted: {accepted}"
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)


class StrictSerializer(StrictFields, serializers.Serializer):
    """A plain serializer whose body may hold only its own fields."""


class ActorSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    incident_count = serializers.IntegerField(
        read_only=True,
        help_text="Published incidents naming this actor itself (members of an "
        "umbrella are counted under their own slug).",
    )

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "name_ar",
            "aliases",
            "kind",
            "parent",
            "incident_count",
        ]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "publisher",
            "title",
            "language",
            "published_on",
            "kind",
            "archived_url",
        ]


class CitationWriteSerializer(StrictSerializer):
    """A citation: an existing source by ``source`` id, or a new one by ``url``."""

    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False
    )
    url = serializers.URLField(required=False, max_length=1000)
    publisher = serializers.CharField(required=False, max_length=200)
    source_kind = serializers.ChoiceField(
        choices=Source.Kind.choices, required=False, default=Source.Kind.NEWS
    )
    stance = serializers.ChoiceField(choices=Citation.Stance.choices)
    quote = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        if ("source" in data) == ("url" in data):
            raise serializers.ValidationError("give either source (an id) or url")
        if "url" in data and not data.get("publisher"):
            raise serializers.ValidationError({"publisher": "required with url"})
        return data

    @staticmethod
    def to_input(data) -> CitationInput:
        # The service creates a new source inside its transaction, never here.
        return CitationInput(
            source=data.get("source"),
            url=data.get("url", ""),
            publisher=data.get("publisher", ""),
            source_kind=data["source_kind"],
            stance=data["stance"],
            quote=data["quote"],
            note=data["note"],
        )


class InvolvementWriteSerializer(StrictSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="slug", queryset=Actor.objects.all()
    )
    role = serializers.ChoiceField(choices=Involvement.Role.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentWriteSerializer(StrictFields, serializers.ModelSerializer):
    """What an editor may send to create or change an incident.

    Scalar fields map to the model (its validators and constraints apply through
    ``full_clean`` in the service); ``sites``, ``citations`` and ``involvements`` are
    lists that replace the current ones when given.
    """

    sites = serializers.SlugRelatedField(
        slug_field="slug", queryset=Site.objects.all(), many=True, required=False
    )
    citations = CitationWriteSerializer(many=True, required=False)
    involvements = InvolvementWriteSerializer(many=True, required=False)
    retraction_reason = serializers.CharField(
        required=False,
        write_only=True,
        max_length=2000,
        help_text="Required with status `retracted` (and only then): the public "
        "reason, shown on the incident's public page.",
    )

    class Meta:
        model = Incident
        fields = [
            *INCIDENT_CONTENT_FIELDS,
            "sites",
            "citations",
            "involvements",
            "retraction_reason",
        ]
        # Uniqueness is checked by the service's full_clean, inside its transaction.
        validators = []

    def validate(self, data):
        latitude = data.get("latitude", getattr(self.instance, "latitude", None))
        longitude = data.get("longitude", getattr(self.instance, "longitude", None))
        if (latitude is None) != (longitude is None):
            raise serializers.ValidationError(
                {"latitude": "latitude and longitude must be given together"}
            )
        return data

    def relations(self) -> dict:
        data = self.validated_data
        relations = {}
        if "sites" in data:
            relations["sites"] = list(data["sites"])
        if "citations" in data:
            relations["citations"] = [
                CitationWriteSerializer.to_input(c) for c in data["citations"]
            ]
        if "involvements" in data:
            relations["involvements"] = [
                InvolvementInput(**item) for item in data["involvements"]
            ]
        if "retraction_reason" in data:
            relations["retraction_reason"] = data["retraction_reason"]
        return relations

    def scalar_fields(self) -> dict:
        return {
            k: v for k, v in self.validated_data.items() if k in INCIDENT_CONTENT_FIELDS
        }
