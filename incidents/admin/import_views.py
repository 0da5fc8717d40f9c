"""The admin's import pages, thin shells over ``incidents.ingest``:

- **Import ACLED**: upload → a dry run shows what would be created, updated and
  linked, and every bad line → confirm imports exactly that file. Between the two
  steps the upload waits in ``BASEWATCH_UPLOAD_DIR`` under a random token that
  only this session knows (``incidents.ingest.uploads``: deleted once imported,
  replaced by the session's next upload, or left past a day). All-or-nothing is
  the importer's: a file with a bad row offers no confirm button.
- **Article to drafts**: paste → proposals with their evidence, each with the
  incidents on record it may describe again → the editor ticks the ones to keep
  and, for a proposal with matches, chooses "add the article as a source of #N"
  or "a new draft" → ``accept_article`` saves exactly that (what it does for a
  published match an editor may not change is said beside the choice, and again
  after saving). The text goes back and forth in the form and is extracted and
  matched again on accept (the extractor is deterministic), so nothing is stored
  before the editor accepts.
"""

import datetime
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import rules
from ..ingest import uploads
from ..ingest.acled import import_acled
from ..ingest.article import (
    ALREADY_CITED,
    CITED,
    PROPOSED,
    accept_article,
    extract_article,
    match_proposals,
)
from ..models import Incident
from .candidates import proposal_choices
from .import_forms import AcledConfirmForm, AcledUploadForm, ArticleForm

SESSION_UPLOADS = "basewatch_acled_uploads"


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
    # A new upload replaces the session's earlier previews.
    uploads.discard(request.session.pop(SESSION_UPLOADS, []))
    token, path = uploads.store(form.cleaned_data["file"].chunks())
    take_all = form.cleaned_data["take_all"]
    report = import_acled(path, dry_run=True, user=request.user, take_all=take_all)
    if report.ok:
        request.session[SESSION_UPLOADS] = [token]
    else:
        uploads.discard([token])
    confirm = AcledConfirmForm(
        initial={
            "token": token,
            "status": form.cleaned_data["status"],
            "take_all": take_all,
        }
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
    uploads.sweep()
    path = uploads.path_for(token)
    if path is None or not path.exists():
        messages.error(request, _("That upload is unknown or expired; upload again."))
        return HttpResponseRedirect(request.path)
    report = import_acled(
        path,
        dry_run=False,
        status=status,
        user=request.user,
        take_all=form.cleaned_data["take_all"],
    )
    request.session[SESSION_UPLOADS] = [t for t in tokens if t != token]
    uploads.discard([token])
    if not report.ok:  # the file cannot change, but the database may have
        messages.error(request, _("Nothing was imported: the file has errors."))
        return HttpResponseRedirect(request.path)
    messages.success(
        request,
        _(
            "Imported: %(created)d created (%(flagged)d of them proposed for a "
            "merge), %(updated)d updated, %(matched)d attached to the incidents on "
            "record they report, %(unchanged)d unchanged, %(skipped)d skipped as "
            "not about a tracked site."
        )
        % {
            "created": report.created,
            "flagged": len(report.flagged),
            "updated": report.updated,
            "matched": len(report.matched),
            "unchanged": report.unchanged,
            "skipped": len(report.skipped),
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
        # No date given: the extractor reads one from the text, or says "unknown".
        extraction = extract_article(
            form.cleaned_data["text"], published=form.cleaned_data.get("published")
        )
    except ValueError as error:
        form.add_error("text", str(error))
        return _page(model_admin, request, "extract_article.html", title, form=form)
    match_proposals(extraction)
    digest = text_digest(form.cleaned_data["text"])
    accepting = "accept" in request.POST
    choices = proposal_choices(
        user=request.user,
        proposals=extraction.proposals,
        chosen=_targets(request, len(extraction.proposals)) if accepting else None,
    )

    def shown():
        return _page(
            model_admin,
            request,
            "extract_article.html",
            title,
            form=form,
            extraction=extraction,
            choices=choices,
            digest=digest,
        )

    if not accepting:
        return shown()
    if request.POST.get("digest") != digest:
        # The ticked numbers belong to the proposals of the text as it was.
        messages.warning(request, _("The text changed: check the proposals again."))
        return shown()
    chosen = _chosen(request, len(extraction.proposals))
    if not chosen:
        messages.warning(request, _("Tick at least one proposal to save."))
        return shown()
    targets = _offered_targets(request, choices)
    if targets is None:
        messages.warning(
            request,
            _("The incidents on record changed since you chose: check again."),
        )
        return shown()
    dates = _editor_dates(request, chosen)
    undated = _undated(extraction, chosen, dates)
    if undated:
        messages.warning(request, undated)
        return shown()
    try:
        accepted = accept_article(
            extraction=extraction,
            chosen=chosen,
            targets=targets,
            dates=dates,
            user=request.user,
            title=form.cleaned_data["title"],
            publisher=form.cleaned_data["publisher"],
            url=form.cleaned_data["url"],
        )
    except ValueError:
        # A match deleted or merged since the page was drawn: nothing was saved.
        messages.warning(
            request,
            _("The incidents on record changed since you chose: check again."),
        )
        return shown()
    _report_accepted(request, accepted)
    if any(a.outcome not in (CITED, ALREADY_CITED) for a in accepted):
        return HttpResponseRedirect(_changelist(Incident.Status.DRAFT))
    return HttpResponseRedirect(reverse("admin:incidents_incident_changelist"))


def _report_accepted(request, accepted) -> None:
    drafts = [a for a in accepted if a.outcome not in (CITED, ALREADY_CITED)]
    if drafts:
        messages.success(
            request,
            _("%(count)d draft incidents saved, citing the article.")
            % {"count": len(drafts)},
        )
    for item in accepted:
        values = {
            "id": item.target,
            "draft": item.incident.pk,
            "status": _status_word(item.target_status),
        }
        if item.outcome == CITED:
            messages.success(
                request, _("The article is now a source of #%(id)s.") % values
            )
        elif item.outcome == ALREADY_CITED:
            messages.info(
                request, _("#%(id)s already cites this article: unchanged.") % values
            )
        elif item.outcome == PROPOSED and item.target_status in rules.PUBLIC_RECORD:
            messages.warning(
                request,
                _(
                    "#%(id)s is %(status)s, so it was left unchanged: the article "
                    "was saved as the new draft #%(draft)s and proposed to a "
                    "reviewer as the same event as #%(id)s, to merge."
                )
                % values,
            )
        elif item.outcome == PROPOSED:
            messages.warning(
                request,
                _(
                    "You may not change #%(id)s, so it was left unchanged: the "
                    "article was saved as the new draft #%(draft)s and proposed to "
                    "a reviewer as the same event as #%(id)s, to merge."
                )
                % values,
            )
        elif item.proposals:
            messages.info(
                request,
                _(
                    "The new draft #%(draft)s is proposed to a reviewer as a "
                    "possible repeat of %(ids)s."
                )
                % {
                    **values,
                    "ids": ", ".join(f"#{p.candidate_id}" for p in item.proposals),
                },
            )


def _status_word(status: str) -> str:
    return str(dict(Incident.Status.choices).get(status, status))


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _targets(request, count: int) -> dict[int, int | None]:
    """What the editor chose for each proposal: an incident id ("add as a source
    of"), or None ("a new draft"; also when nothing was chosen)."""
    targets: dict[int, int | None] = {}
    for index in range(count):
        value = request.POST.get(f"target-{index}", "")
        targets[index] = int(value) if value.isdigit() else None
    return targets


def _offered_targets(request, choices) -> dict[int, int] | None:
    """The chosen targets, each one of the matches its proposal offered this user;
    None when one is not (the matches changed, or a forged post)."""
    targets = {}
    for choice in choices:
        value = request.POST.get(f"target-{choice.index}", "")
        if not value or value == "new":
            continue
        if not value.isdigit() or int(value) not in {o.pk for o in choice.options}:
            return None
        targets[choice.index] = int(value)
    return targets


def _editor_dates(request, chosen: list[int]) -> dict[int, datetime.date]:
    """The dates the editor gave proposals of unknown date ("date-<index>")."""
    dates = {}
    for index in chosen:
        try:
            dates[index] = datetime.date.fromisoformat(
                request.POST.get(f"date-{index}", "")
            )
        except ValueError:
            continue
    return dates


def _undated(extraction, chosen: list[int], dates) -> str:
    """What to tell the editor when a ticked proposal has no date ("" if none)."""
    undated = [i for i in chosen if extraction.proposals[i].occurred_on is None]
    missing = [i for i in undated if i not in dates]
    if not missing:
        return ""
    return _(
        "Proposal %(numbers)s has no date: the article does not say when it "
        "happened. Give its date, or untick it."
    ) % {"numbers": ", ".join(str(i + 1) for i in missing)}


def _chosen(request, count: int) -> list[int]:
    chosen = []
    for value in request.POST.getlist("proposal"):
        if value.isdigit() and int(value) < count:
            chosen.append(int(value))
    return sorted(set(chosen))
