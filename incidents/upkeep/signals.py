"""Model signals that keep the data versions (``incidents.freshness``: of
everything, and of what readers see, as ``visibility`` tells) and the clusters'
rollup (``incidents.rollup``, which connects its own) current.

Any save or delete of a row readers can see, through the ORM, bumps the version in
the same transaction: admin forms and actions, the API, the workflow, article
drafts, ``restore`` (loaddata sends the signals too). Writers that bypass the ORM's
per-row path call ``data_changed()`` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from ..models import (
    Actor,
    Citation,
    Incident,
    Involvement,
    OfficialTotal,
    Site,
    Source,
)
from . import rollup, visibility
from .freshness import data_changed

WATCHED = (Incident, Site, Actor, Source, Citation, Involvement, OfficialTotal)


def _before_save(sender, instance, **kwargs) -> None:
    visibility.remember_before_save(instance)


def _saved(sender, instance, **kwargs) -> None:
    data_changed(public=visibility.change_is_public(instance))


def _deleted(sender, instance, **kwargs) -> None:
    data_changed(public=visibility.change_is_public(instance, deleted=True))


def _links_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action.startswith("post_"):
        data_changed(public=visibility.links_change_is_public(instance, reverse))


def connect() -> None:
    rollup.connect()
    for model in WATCHED:
        uid = f"basewatch-freshness-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    for model in (Incident, Site, Actor):  # whose visibility a save may change
        uid = f"basewatch-freshness-{model._meta.label_lower}-pre"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _links_changed,
        sender=Incident.sites.through,
        dispatch_uid="basewatch-freshness-incident-sites",
    )
