"""The admin's import pages, thin shells over ``incidents.ingest``:

- **Import ACLED**: upload → a dry run shows what would be created, updated and
  linked, and every bad line → confirm imports exactly that file. Between the two
  steps the upload waits in ``BASEWATCH_UPLOAD_DIR`` under a random token that
  only this session knows; it is deleted once imported. All-or-nothing is the
  importer's: a file with a bad row offers no confirm button.
- **Article to drafts**: paste → proposals with their evidence → the editor ticks
  the ones to keep → they are saved as drafts citing the article. The text goes
  back and forth in the form and is extracted again on accept (the extractor is
  deterministic), so nothing is stored before the editor accepts.
"""

import hashlib
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import rules
from ..ingest.acled import import_acled
from ..ingest.article import accept_proposals, extract_article
from ..models import Incident
from .import_forms import AcledConfirmForm, AcledUploadForm, ArticleForm

SESSION_UPLOADS = "basewatch_acled_uploads"


def upload_dir() -> Path:
    configured = getattr(settings, "BASEWATCH_UPLOAD_DIR", "")
    path = (
        Path(configured)
        if configured
        else Path(tempfile.gettempdir()) / "basewatch-uploads"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def _require_add(model_admin, request) -> None:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied


def _may_publish(request) -> bool:
    return rules.may_publish(request.user)


def _page(model_admin, request, template: str, title: str, **context):
    return TemplateResponse(
        request,
        f"admin/incidents/incident/{template}",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            **context,
        },
    )


def _changelist(status: str) -> str:
    return reverse("admin:incidents_incident_changelist") + f"?status__exact={status}"


def acled_import_view(model_admin, request):
    _require_add(model_admin, request)
    title = _("Import an ACLED file")
    if request.method == "POST" and "token" in request.POST:
        return _acled_confirm(model_admin, request)
    form = AcledUploadForm(
        request.POST or None, request.FILES or None, may_publish=_may_publish(request)
    )
    if request.method != "POST" or not form.is_valid():
        return _page(model_admin, request, "import_acled.html", title, form=form)
    token = secrets.token_hex(16)
    path = upload_dir() / f"{token}.csv"
    with path.open("wb") as out:
        for chunk in form.cleaned_data["file"].chunks():
            out.write(chunk)
    report = import_acled(path, dry_run=True, user=request.user)
    if report.ok:
        tokens = request.session.get(SESSION_UPLOADS, [])
        request.session[SESSION_UPLOADS] = [*tokens[-9:], token]
    else:
        path.unlink(missing_ok=True)
    confirm = AcledConfirmForm(
        initial={"token": token, "status": form.cleaned_data["status"]}
    )
    return _page(
        model_admin,
        request,
        "import_acled.html",
        title,
        form=form,
        report=report,
        confirm=confirm if report.ok else None,
        filename=form.cleaned_data["file"].name,
    )


def _acled_confirm(model_admin, request):
    form = AcledConfirmForm(request.POST)
    tokens = request.session.get(SESSION_UPLOADS, [])
    if not form.is_valid() or form.cleaned_data["token"] not in tokens:
        messages.error(request, _("That upload is unknown or expired; upload again."))
        return HttpResponseRedirect(request.path)
    status = form.cleaned_data["status"]
    if status == Incident.Status.PUBLISHED and not _may_publish(request):
        raise PermissionDenied
    token = form.cleaned_data["token"]
    path = upload_dir() / f"{token}.csv"
    if not path.exists():
        messages.error(request, _("That upload is unknown or expired; upload again."))
        return HttpResponseRedirect(request.path)
    report = import_acled(path, dry_run=False, status=status, user=request.user)
    request.session[SESSION_UPLOADS] = [t for t in tokens if t != token]
    path.unlink(missing_ok=True)
    if not report.ok:  # the file cannot change, but the database may have
        messages.error(request, _("Nothing was imported: the file has errors."))
        return HttpResponseRedirect(request.path)
    messages.success(
        request,
        _(
            "Imported: %(created)d created (%(flagged)d of them proposed for a "
            "merge), %(updated)d updated, %(matched)d attached to the incidents on "
            "record they report, %(unchanged)d unchanged."
        )
        % {
            "created": report.created,
            "flagged": len(report.flagged),
            "updated": report.updated,
            "matched": len(report.matched),
            "unchanged": report.unchanged,
        },
    )
    return HttpResponseRedirect(_changelist(status))


def article_view(model_admin, request):
    _require_add(model_admin, request)
    title = _("Draft incidents from an article")
    form = ArticleForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _page(model_admin, request, "extract_article.html", title, form=form)
    try:
        extraction = extract_article(
            form.cleaned_data["text"], published=form.published_or_today()
        )
    except ValueError as error:
        form.add_error("text", str(error))
        return _page(model_admin, request, "extract_article.html", title, form=form)
    digest = text_digest(form.cleaned_data["text"])
    shown = _page(
        model_admin,
        request,
        "extract_article.html",
        title,
        form=form,
        extraction=extraction,
        digest=digest,
    )
    if "accept" not in request.POST:
        return shown
    if request.POST.get("digest") != digest:
        # The ticked numbers belong to the proposals of the text as it was.
        messages.warning(request, _("The text changed: check the proposals again."))
        return shown
    chosen = _chosen(request, len(extraction.proposals))
    if not chosen:
        messages.warning(request, _("Tick at least one proposal to save."))
        return shown
    saved = accept_proposals(
        extraction=extraction,
        chosen=chosen,
        user=request.user,
        title=form.cleaned_data["title"],
        publisher=form.cleaned_data["publisher"],
        url=form.cleaned_data["url"],
    )
    messages.success(
        request,
        _("%(count)d draft incidents saved, citing the article.")
        % {"count": len(saved)},
    )
    return HttpResponseRedirect(_changelist(Incident.Status.DRAFT))


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chosen(request, count: int) -> list[int]:
    chosen = []
    for value in request.POST.getlist("proposal"):
        if value.isdigit() and int(value) < count:
            chosen.append(int(value))
    return sorted(set(chosen))
