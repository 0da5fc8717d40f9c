"""Model signals that keep the data version (``incidents.freshness``) and the
clusters' rollup (``incidents.rollup``, which connects its own) current.

Any save or delete of a row readers can see, through the ORM, bumps the version in
the same transaction: admin forms and actions, the API, the workflow, article
drafts, ``restore`` (loaddata sends the signals too). Writers that bypass the ORM's
per-row path call ``data_changed()`` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from ..models import (
    Actor,
    Citation,
    Incident,
    Involvement,
    OfficialTotal,
    Site,
    Source,
)
from . import rollup
from .freshness import data_changed

WATCHED = (Incident, Site, Actor, Source, Citation, Involvement, OfficialTotal)


def _changed(sender, **kwargs) -> None:
    data_changed()


def _links_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        data_changed()


def connect() -> None:
    rollup.connect()
    for model in WATCHED:
        uid = f"basewatch-freshness-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _links_changed,
        sender=Incident.sites.through,
        dispatch_uid="basewatch-freshness-incident-sites",
    )
