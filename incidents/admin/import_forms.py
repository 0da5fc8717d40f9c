"""Forms of the admin's import pages: an ACLED file to preview and import, an
article to turn into draft incidents."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Incident

IMPORT_STATUSES = [
    (Incident.Status.REVIEW, _("in review (default)")),
    (Incident.Status.DRAFT, _("draft")),
    (Incident.Status.PUBLISHED, _("published (reviewers only)")),
]


def max_upload_bytes() -> int:
    return int(getattr(settings, "BASEWATCH_MAX_UPLOAD_MB", 50)) * 1024 * 1024


class AcledUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ACLED CSV export"),
        help_text=_("UTF-8, with or without BOM; ACLED's 31 columns in any order."),
    )
    status = forms.ChoiceField(
        label=_("Imported incidents enter as"),
        choices=IMPORT_STATUSES,
        initial=Incident.Status.REVIEW,
    )
    take_all = forms.BooleanField(
        label=_("Also import the rows about no tracked site"),
        required=False,
        help_text=_(
            "By default a row that concerns no site (a protest, a killing in a "
            "town, a battle far from every base) is skipped and listed; ticked, "
            "such rows are imported too, linked to no site."
        ),
    )

    def __init__(self, *args, may_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            self.fields["status"].choices = IMPORT_STATUSES[:2]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": upload.size // 2**20, "limit": limit // 2**20}
            )
        return upload


class AcledConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=IMPORT_STATUSES, widget=forms.HiddenInput)
    take_all = forms.BooleanField(required=False, widget=forms.HiddenInput)


MAX_ARTICLE_CHARACTERS = 200_000


class ArticleForm(forms.Form):
    text = forms.CharField(
        label=_("Article text"),
        widget=forms.Textarea(attrs={"rows": 16, "dir": "auto", "cols": 100}),
        max_length=MAX_ARTICLE_CHARACTERS,
        help_text=_("Arabic or English; paste the whole article, title first."),
    )
    published = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The day the article was published, if you know it: weekdays such as "
            "“مساء الأربعاء”, “أمس” and dates without a year are counted from it. "
            "Left empty, the date is read from the text (a date line, “اليوم” "
            "with a date, the latest full date), and drafts nothing dates say "
            "“date unknown”."
        ),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    publisher = forms.CharField(label=_("Publisher"), required=False, max_length=200)
    url = forms.URLField(
        label=_("URL"), required=False, max_length=1000, assume_scheme="https"
    )
