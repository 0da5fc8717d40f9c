"""Arabic as a first-class language, without a browser.

The Arabic catalogue (``locale/ar/LC_MESSAGES/django.po``) is complete: every entry
translated, none fuzzy, the same placeholders on both sides. The committed
``django.mo`` says exactly what the ``.po`` says, so forgetting ``make messages``
after an edit fails here. Every phrase the pages hand to their scripts is in the
catalogue. The pages come out in Arabic and right-to-left when asked (header or
cookie), the language switch works without JavaScript, keeps the query string and
never redirects off the site.
"""

import ast
import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from incidents.models import Involvement, Site
from incidents.pages import views

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES"
PO_PATH = LOCALE / "django.po"
MO_PATH = LOCALE / "django.mo"


# ----- a small .po reader ---------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    # "msgstr" for a singular entry, "msgstr[0]", "msgstr[1]"... for a plural one.
    msgstr: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        """The key gettext looks the entry up by (context, EOT, msgid)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def _unquote(token: str) -> str:
    # A .po string is a C string; Python's literal syntax reads the same escapes.
    return ast.literal_eval(token)


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file, header included (its msgid is "").

    Handles comments and flags, msgctxt, strings continued over several lines,
    plurals (msgid_plural and msgstr[n]) and obsolete (#~) entries.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    current: str | None = None  # the keyword the next continuation line extends

    def finish():
        nonlocal entry, current
        if entry is not None and (entry.msgid or entry.msgstr):
            entries.append(entry)
        entry, current = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if current is not None and current != "comment":
                finish()  # a comment after the strings starts the next entry
            if entry is None:
                entry = Entry(line=number)
            current = "comment"
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, token = match.groups()
            if keyword in ("msgctxt", "msgid") and current not in (None, "comment"):
                if not (keyword == "msgid" and current == "msgctxt"):
                    finish()
            if entry is None:
                entry = Entry(line=number)
            entry.obsolete = entry.obsolete or obsolete
            value = _unquote(token)
            if keyword == "msgid":
                entry.msgid = value
            elif keyword == "msgid_plural":
                entry.msgid_plural = value
            elif keyword == "msgctxt":
                entry.msgctxt = value
            else:
                entry.msgstr[keyword] = value
            current = keyword
            continue
        if line.startswith('"') and current not in (None, "comment"):
            value = _unquote(line)
            if current == "msgid":
                entry.msgid += value
            elif current == "msgid_plural":
                entry.msgid_plural += value
            elif current == "msgctxt":
                entry.msgctxt += value
            else:
                entry.msgstr[current] += value
            continue
        raise AssertionError(f"django.po line {number}: cannot read {raw!r}")
    finish()
    return entries


def test_the_po_reader_reads_plurals_contexts_and_continued_lines():
    sample = (
        '# header\nmsgid ""\nmsgstr ""\n"Language: ar\\n"\n\n'
        '#: a.py\n#, fuzzy, python-format\nmsgctxt "ctx"\nmsgid ""\n"one "\n"two"\n'
        'msgstr "واحد"\n"اثنان"\n\n'
        'msgid "%(n)s site"\nmsgid_plural "%(n)s sites"\n'
        'msgstr[0] "a"\nmsgstr[1] "b\\"q\\""\n\n'
        '#~ msgid "gone"\n#~ msgstr "old"\n'
    )
    header, ctx, plural, gone = parse_po(sample)
    assert header.msgid == "" and header.msgstr["msgstr"] == "Language: ar\n"
    assert (ctx.msgctxt, ctx.msgid, ctx.msgstr["msgstr"]) == (
        "ctx",
        "one two",
        "واحداثنان",
    )
    assert ctx.flags == {"fuzzy", "python-format"}
    assert ctx.key == "ctx\x04one two"
    assert plural.msgid_plural == "%(n)s sites"
    assert plural.msgstr == {"msgstr[0]": "a", "msgstr[1]": 'b"q"'}
    assert gone.obsolete and gone.msgid == "gone"


@pytest.fixture(scope="module")
def po() -> list[Entry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(po) -> list[Entry]:
    """The translatable entries: everything but the header and obsolete ones."""
    return [e for e in po if e.msgid != "" and not e.obsolete]


def _nplurals(po) -> int:
    header = next(e for e in po if e.msgid == "").msgstr["msgstr"]
    return int(re.search(r"nplurals\s*=\s*(\d+)", header).group(1))


# ----- the catalogue --------------------------------------------------------------


def test_the_catalogue_has_a_proper_arabic_header(po):
    header = next(e for e in po if e.msgid == "")
    assert "fuzzy" not in header.flags
    text = header.msgstr["msgstr"]
    assert "Language: ar\n" in text
    assert "charset=UTF-8" in text
    # Arabic has six plural forms (CLDR / gettext).
    assert _nplurals(po) == 6


def test_the_catalogue_is_not_trivially_small(messages):
    # The map, site page, choices, confidence and admin: well over a hundred.
    assert len(messages) > 150


def test_every_entry_is_translated_and_none_is_fuzzy(po, messages):
    nplurals = _nplurals(po)
    problems = []
    for entry in messages:
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy: {entry.msgid!r}")
        if entry.msgid_plural is None:
            wanted = ["msgstr"]
        else:
            wanted = [f"msgstr[{n}]" for n in range(nplurals)]
        for key in wanted:
            if not entry.msgstr.get(key, "").strip():
                problems.append(f"line {entry.line}: no {key}: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def test_no_obsolete_entries(po):
    assert not [e.msgid for e in po if e.obsolete]


# What ``make messages`` extracts from (its --ignore list, plus what holds no source).
SOURCES = ("manage.py", "config", "incidents", "templates", "locale")


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="needs GNU gettext's xgettext (Debian: apt-get install gettext)",
)
def test_the_catalogue_holds_every_translatable_string_in_the_code(tmp_path, messages):
    """``make messages`` run on a copy of the sources adds nothing: no label in the
    code, models or templates is missing from the catalogue (the other tests here
    only see what the catalogue already holds)."""
    root = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-obsolete"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_DEBUG": "1", "PYTHONPATH": str(tmp_path)},
        check=True,
        capture_output=True,
    )
    extracted = parse_po((tmp_path / PO_PATH.relative_to(root)).read_text("utf-8"))
    committed = {entry.key for entry in messages}
    missing = sorted(e.msgid for e in extracted if e.msgid and e.key not in committed)
    assert not missing, f"not in the catalogue (run make messages): {missing}"


def test_translations_are_arabic(messages):
    """A translation is Arabic text, not the English copied over; the only
    exceptions are strings with no words to translate (a name, placeholders)."""
    same_by_design = {"Basewatch", "{month}: {count}"}
    arabic = re.compile(r"[\u0600-\u06ff]")
    untranslated = [
        e.msgid
        for e in messages
        if e.msgid not in same_by_design
        and not all(arabic.search(s) for s in e.msgstr.values())
    ]
    assert not untranslated


_PLACEHOLDER = re.compile(
    r"\{\w*\}"  # str.format / our JS fill(): {count}
    r"|%\(\w+\)[#0\- +]*\d*(?:\.\d+)?[sdifr]"  # %(name)s
    r"|%[#0\- +]*\d*(?:\.\d+)?[sdifr]"  # %s, %d
)


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text.replace("%%", "")))


def test_placeholders_are_the_same_in_msgid_and_msgstr(messages):
    assert placeholders("{shown} of {count}, %(metres)s m, %s %d 100%%") == {
        "%(metres)s",
        "%d",
        "%s",
        "{count}",
        "{shown}",
    }
    problems = []
    for entry in messages:
        for key, text in entry.msgstr.items():
            got = placeholders(text)
            if entry.msgid_plural is None:
                expected = placeholders(entry.msgid)
                ok = got == expected
            else:
                # An Arabic plural form may leave the number out ("موقعان", two
                # sites); it may not bring a placeholder the English lacks.
                expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
                ok = got <= expected
            if not ok:
                problems.append(
                    f"{entry.msgid!r} {key}: {sorted(expected)} != {sorted(got)}"
                )
    assert not problems, "\n".join(problems)


def test_the_compiled_mo_agrees_with_the_po(po, messages):
    """The committed .mo is the .po compiled: a stale one fails here."""
    with MO_PATH.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    # GNUTranslations keeps what it read in _catalog: {msgid: msgstr} for singular
    # entries, {(msgid, n): msgstr} for plural forms, context as "ctxt\x04msgid".
    compiled = dict(catalogue._catalog)
    compiled.pop("", None)  # the header
    expected = {}
    for entry in messages:
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr["msgstr"]
        else:
            for key, text in entry.msgstr.items():
                n = int(key[len("msgstr[") : -1])
                expected[(entry.key, n)] = text
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    different = sorted(
        str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]
    )
    assert not missing, f"in the .po, not the .mo (run make messages): {missing}"
    assert not extra, f"in the .mo, not the .po (run make messages): {extra}"
    assert not different, f"the .mo differs from the .po: {different}"
    assert catalogue.info().get("language") == "ar"


def _leaves(value, path=()):
    """Every (path, lazy or plain string) of a nested dict of labels."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    else:
        yield path, value


@pytest.mark.parametrize("make_labels", [views.map_labels, views.site_labels])
def test_every_label_sent_to_the_scripts_is_in_the_catalogue(messages, make_labels):
    """Choice names, confidence explanations and phrases that map/ and site/
    write come from these dicts; each must be a catalogue entry, shown in Arabic."""
    catalogue = {e.msgid: e.msgstr.get("msgstr") for e in messages}

    def texts():  # lazy strings are translated when made str, so make them here
        return {
            path: str(value)
            for path, value in _leaves(make_labels())
            if isinstance(value, str | Promise)
        }

    with translation.override("en"):
        english = texts()
    with translation.override("ar"):
        arabic = texts()
    assert len(english) > 40
    problems = []
    for path, msgid in english.items():
        if msgid not in catalogue:
            problems.append(f"{'.'.join(path)}: {msgid!r} is not in django.po")
        elif arabic[path] != catalogue[msgid]:
            problems.append(f"{'.'.join(path)}: not shown in Arabic")
    assert not problems, "\n".join(problems)


def test_model_choice_labels_are_translated():
    from incidents.models import Incident
    from incidents.rules.confidence import Confidence

    with translation.override("ar"):
        weapons = dict(Incident.Weapon.choices)
        assert weapons["drone"] == "طائرة مسيّرة"
        assert weapons["rocket"] == "قذيفة صاروخية"
        assert weapons["missile"] == "صاروخ"
        confidence = dict(Confidence.choices)
        assert confidence == {
            "confirmed": "مؤكَّد",
            "reported": "مُبلَّغ عنه",
            "claimed": "مُعلَن التبنّي",
            "disputed": "متنازع عليه",
        }
        assert str(dict(Site.Kind.choices)["base"]) == "قاعدة"
        assert str(dict(Involvement.Role.choices)["claimed_by"]) == "الجهة المتبنّية"


def test_every_model_field_has_a_translated_label():
    """The admin's labels and column heads come from verbose names; a field without
    one shows its English attribute name in the Arabic admin."""
    from django.apps import apps

    untranslated = []
    with translation.override("ar"):
        for model in apps.get_app_config("incidents").get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                # Keys and the folded search column are never shown to anyone.
                if field.auto_created or not field.concrete or field.primary_key:
                    continue
                if field.name == "search_text":
                    continue
                label = str(field.verbose_name)
                if not any("\u0600" <= ch <= "\u06ff" for ch in label):
                    untranslated.append(f"{model.__name__}.{field.name}: {label!r}")
    assert not untranslated


# ----- pages in Arabic --------------------------------------------------------------


class _Page(HTMLParser):
    """Start tags with their attributes, and the text of every element by id."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in {"input", "meta", "link", "img", "br", "hr"}:
            return
        self._open.append(attrs.get("id"))
        if attrs.get("id"):
            self.text_by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.text_by_id[element_id] += data

    def first(self, tag, **wanted):
        for name, attrs in self.tags:
            if name == tag and all(attrs.get(k) == v for k, v in wanted.items()):
                return attrs
        return None

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_the_map_defaults_to_english_left_to_right(client):
    page = parse(client.get("/").content.decode())
    assert page.first("html") == {"lang": "en", "dir": "ltr"}
    assert page.text_by_id["bw-filters-title"].strip() == "Filters"


def test_accept_language_ar_gives_arabic_right_to_left(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    html = response.content.decode()
    page = parse(html)
    assert page.first("html") == {"lang": "ar", "dir": "rtl"}
    assert page.text_by_id["bw-filters-title"].strip() == "عوامل التصفية"
    assert page.text_by_id["bw-totals-title"].strip() == "المجاميع"
    assert "Accept-Language" in response.get("Vary", "")
    # The labels the map writes are Arabic too.
    labels = json.loads(page.text_by_id["bw-labels"])
    assert labels["weapon"]["drone"] == "طائرة مسيّرة"
    assert labels["confidence"]["claimed"] == "مُعلَن التبنّي"


def test_the_language_cookie_gives_arabic(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = parse(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert page.first("html") == {"lang": "ar", "dir": "rtl"}
    assert page.text_by_id["bw-filters-title"].strip() == "عوامل التصفية"


def test_the_switch_is_a_labelled_form_that_keeps_the_query_string(client):
    page = parse(client.get("/?weapon=drone&site=al-omar&z=7").content.decode())
    form = page.first("form", **{"class": "bw-lang"})
    assert form == {
        "class": "bw-lang",
        "action": reverse("set_language"),
        "method": "post",
    }
    assert (
        page.first("input", name="next")["value"] == "/?weapon=drone&site=al-omar&z=7"
    )
    assert page.first("input", name="csrfmiddlewaretoken")
    select = page.first("select", id="bw-lang-select")
    assert select["name"] == "language"
    assert page.first("label", **{"for": "bw-lang-select"})
    assert page.text_by_id["bw-lang-select"].split() == ["English", "العربية"]
    options = [o for o in page.all("option") if o.get("value") in {"en", "ar"}]
    assert [(o["value"], o["lang"], "selected" in o) for o in options] == [
        ("en", "en", True),
        ("ar", "ar", False),
    ]
    assert page.first("button", type="submit", **{"class": "bw-button bw-lang-submit"})


def test_the_switch_has_no_inline_script(client):
    """Ready for a Content-Security-Policy without 'unsafe-inline': the switch is
    plain markup, and its optional script is a file that base.html loads."""
    request = RequestFactory().get("/sites/x/?a=1")
    html = render_to_string("incidents/_language_switch.html", request=request)
    assert "<script" not in html
    assert not re.search(r"\son\w+\s*=", html)  # no onchange= and the like
    page = parse(client.get("/").content.decode())
    switch = [s for s in page.all("script") if "lang_switch" in s.get("src", "")]
    assert len(switch) == 1
    assert switch[0]["type"] == "module"
    assert switch[0]["src"].endswith("/incidents/js/lang_switch.js")


def _csrf(client, path="/") -> str:
    page = parse(client.get(path).content.decode())
    return page.first("input", name="csrfmiddlewaretoken")["value"]


def test_set_language_switches_and_redirects_to_next():
    client = Client(enforce_csrf_checks=True)
    token = _csrf(client)
    response = client.post(
        reverse("set_language"),
        {
            "language": "ar",
            "next": "/?weapon=drone,rocket&z=7",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/?weapon=drone,rocket&z=7"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"

    page = parse(client.get(response["Location"]).content.decode())
    assert page.first("html") == {"lang": "ar", "dir": "rtl"}
    assert "selected" in page.first("option", value="ar")

    token = _csrf(client)
    back = client.post(
        reverse("set_language"),
        {"language": "en", "next": "/?weapon=drone", "csrfmiddlewaretoken": token},
    )
    assert back["Location"] == "/?weapon=drone"
    page = parse(client.get(back["Location"]).content.decode())
    assert page.first("html") == {"lang": "en", "dir": "ltr"}


def test_set_language_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/?x=/",
        "javascript:alert(1)",
    ],
)
def test_an_unsafe_next_is_not_followed(client, unsafe):
    response = client.post(reverse("set_language"), {"language": "ar", "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "evil.example" not in response["Location"]


def test_the_site_page_in_arabic_puts_the_arabic_name_first(client, make):
    make.site(slug="ain-al-asad", name="Ain al-Asad", name_ar="عين الأسد")
    url = reverse("incidents:site", kwargs={"slug": "ain-al-asad"})

    english = client.get(url).content.decode()
    assert "<title>Ain al-Asad — Basewatch</title>" in english
    assert english.index('class="bw-name-en"') < english.index('class="bw-name-ar"')

    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    page = parse(arabic)
    assert page.first("html") == {"lang": "ar", "dir": "rtl"}
    assert "<title>عين الأسد — Basewatch</title>" in arabic
    assert arabic.index('class="bw-name-ar"') < arabic.index('class="bw-name-en"')
    assert page.text_by_id["bw-about-title"].strip() == "عن هذا الموقع"
    # The switch is in the page's navigation, with this page as "next".
    nav = arabic[arabic.index("<nav") : arabic.index("</nav>")]
    assert 'class="bw-lang"' in nav
    assert f'name="next" value="{url}"' in nav


def test_api_features_carry_arabic_names_of_sites_and_actors(client, make):
    from incidents.models import Actor

    site = make.site(slug="al-omar", name="Al-Omar", name_ar="حقل العمر")
    actor = make.actor(
        slug="iri",
        name="Islamic Resistance in Iraq",
        name_ar="المقاومة الإسلامية في العراق",
        kind=Actor.Kind.ARMED_GROUP,
    )
    make.incident(sites=[site], involvements=[(actor, Involvement.Role.CLAIMED_BY)])

    incidents = client.get("/api/v1/incidents/").json()["features"]
    props = incidents[0]["properties"]
    assert props["sites"][0]["name"] == "Al-Omar"
    assert props["sites"][0]["name_ar"] == "حقل العمر"
    assert props["actors"][0]["name_ar"] == "المقاومة الإسلامية في العراق"

    sites = client.get("/api/v1/sites/").json()["features"]
    assert sites[0]["properties"]["name_ar"] == "حقل العمر"
    actors = client.get("/api/v1/actors/").json()["results"]
    assert actors[0]["name_ar"] == "المقاومة الإسلامية في العراق"
