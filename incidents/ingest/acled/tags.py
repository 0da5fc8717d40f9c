"""Basewatch's facts that ACLED's columns cannot hold, carried in ACLED's ``tags``.

ACLED's columns lose what Basewatch must keep: ``fatalities`` cannot say "not
reported" (ACLED writes 0 for both "none" and "nobody said"), there is no column
for the injured, actor1 cannot tell who *claimed* an attack from whom officials
*blame*, the source list names publishers but not what each says (so the
confidence, which follows from the sources' stances, is lost), and geo_precision
rounds our metres to three codes. ACLED's own free-form place for such things is
the ``tags`` cell: "; "-separated tags, some ``key=value`` ("crowd size=no
report"). Ours are namespaced there, so a tool that ignores them sees an ordinary
ACLED row (its columns are still filled in ACLED's way) and ACLED's own tags in the
same cell are kept as they are.

**Vocabulary (version 1)**, one tag per fact, in this order:

- ``bw:event=<event type>``: attack, interception, strike, statement, sanction,
  meeting, other (ACLED's sub-event types merge some of them);
- ``bw:weapon=<weapon>``: rocket, drone, missile, mortar, ied, small_arms, mixed,
  unknown, or empty (none applies: a meeting);
- ``bw:killed=<n>`` / ``bw:injured=<n>``: a whole number, or ``unreported``
  (nobody gave a number; 0 means reported as none);
- ``bw:time=HH:MM``: the time of day, when known;
- ``bw:precision_m=<n>``: the point's precision in metres, or ``unknown``;
- ``bw:site=<slug>``: each linked site, in link order (ACLED's ``location`` holds
  one name);
- ``bw:<role>=<actor name>[|<note>]``: each actor in its role, ``perpetrator``,
  ``claimed_by``, ``attributed_to``, ``target`` or ``participant``, with the
  involvement's note when it has one;
- ``bw:source=<stance>|<kind>|<publisher>|<url>|<archived url>|<published on>|
  <language>|<title>|<quote>|<note>``: each citation, stance
  reports/claims/confirms/denies, the source's kind
  (news/official/monitor/claim_channel/social), an ISO date; empty parts at the
  end are left out (at least the first four are written). URLs must be http(s).

Values escape ``%`` as ``%25``, ``;`` as ``%3B``, ``|`` as ``%7C`` and line breaks
as ``%0A``/``%0D``, so any name or URL survives.

**Reading**: a ``bw:`` tag overrides what the columns would give: the fields one
by one; the roles, the sites and the sources each as a whole when any tag of that
kind is present. A malformed ``bw:`` tag (unknown key, a number that is not one,
an unknown role, stance or kind) is an error of the row's ``tags`` column, like
any other bad cell. **Writing** (``export``): every fact of our own incidents; for
an incident imported from ACLED only the facts that differ from what its row as
written gives, so an untouched import exports exactly as it came.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from incidents.models import Citation, Incident, Involvement, Source

PREFIX = "bw:"
UNREPORTED = "unreported"
UNKNOWN_PRECISION = "unknown"
ROLES = tuple(Involvement.Role.values)
STANCES = frozenset(Citation.Stance.values)
SOURCE_KINDS = frozenset(Source.Kind.values)
EVENT_TYPES = frozenset(Incident.EventType.values)
WEAPONS = frozenset(Incident.Weapon.values) | {""}
_ESCAPES = {"%": "%25", ";": "%3B", "|": "%7C", "\n": "%0A", "\r": "%0D"}
_ESCAPE = re.compile("[%;|\n\r]")
SOURCE_PARTS = (
    "stance",
    "kind",
    "publisher",
    "url",
    "archived_url",
    "published_on",
    "language",
    "title",
    "quote",
    "note",
)
SOURCE_PARTS_MIN = 4
_HTTP_URL = URLValidator(schemes=["http", "https"])
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def escape(value: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group()], value)


@dataclass(frozen=True)
class SourceFact:
    """One citation: what the source is, and what it says of the incident."""

    stance: str
    kind: str
    publisher: str
    url: str
    archived_url: str = ""
    published_on: datetime.date | None = None
    language: str = ""
    title: str = ""
    quote: str = ""
    note: str = ""

    def tag(self) -> str:
        parts = [
            self.stance,
            self.kind,
            self.publisher,
            self.url,
            self.archived_url,
            self.published_on.isoformat() if self.published_on else "",
            self.language,
            self.title,
            self.quote,
            self.note,
        ]
        while parts[-1] == "" and len(parts) > SOURCE_PARTS_MIN:
            parts.pop()  # trailing empty parts say nothing
        return f"{PREFIX}source=" + "|".join(escape(p) for p in parts)


@dataclass(frozen=True)
class Facts:
    """What a row's ``bw:`` tags say; empty parts say nothing."""

    fields: dict = field(default_factory=dict)  # incident field -> value
    roles: tuple[tuple[str, str, str], ...] = ()  # (role, actor name, note)
    sites: tuple[str, ...] = ()  # site slugs
    sources: tuple[SourceFact, ...] = ()
    others: tuple[str, ...] = ()  # ACLED's own tags, as written

    def __bool__(self) -> bool:
        return bool(self.fields or self.roles or self.sites or self.sources)


NO_FACTS = Facts()


def _count(value: str) -> int | None:
    if value == UNREPORTED:
        return None
    if value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    raise ValueError(
        _("%(value)r is not a whole number or 'unreported'") % {"value": value}
    )


def _precision(value: str) -> int | None:
    if value == UNKNOWN_PRECISION:
        return None
    if value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    raise ValueError(
        _("%(value)r is not a whole number of metres or 'unknown'") % {"value": value}
    )


def _time(value: str) -> datetime.time:
    match = _TIME.fullmatch(value)
    if match is None:
        raise ValueError(_("%(value)r is not a time like 14:30") % {"value": value})
    return datetime.time(int(match.group(1)), int(match.group(2)))


def _choice(choices: frozenset[str]):
    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(
                _("%(value)r is not one of %(choices)s")
                % {
                    "value": value,
                    "choices": ", ".join(sorted(c for c in choices if c)),
                }
            )
        return value

    return check


_FIELDS = {
    "event": ("event_type", _choice(EVENT_TYPES)),
    "weapon": ("weapon", _choice(WEAPONS)),
    "killed": ("killed", _count),
    "injured": ("injured", _count),
    "time": ("occurred_at", _time),
    "precision_m": ("precision_m", _precision),
}


def _web_address(url: str) -> str:
    # Shown as a link on every page: only a web address may become one.
    if url:
        try:
            _HTTP_URL(url)
        except ValidationError:
            raise ValueError(
                _("%(value)r is not an http(s) address") % {"value": url}
            ) from None
    return url


def _source(value: str) -> SourceFact:
    parts = [unquote(p) for p in value.split("|")]
    if not SOURCE_PARTS_MIN <= len(parts) <= len(SOURCE_PARTS):
        raise ValueError(
            _("a source tag has %(low)d to %(high)d parts (%(parts)s)")
            % {
                "low": SOURCE_PARTS_MIN,
                "high": len(SOURCE_PARTS),
                "parts": "|".join(SOURCE_PARTS),
            }
        )
    given = dict(zip(SOURCE_PARTS, parts, strict=False))
    _choice(STANCES)(given["stance"])
    _choice(SOURCE_KINDS)(given["kind"])
    if not given["publisher"].strip():
        raise ValueError(_("a source tag needs a publisher"))
    day = None
    if given.get("published_on"):
        try:
            day = datetime.date.fromisoformat(given["published_on"])
        except ValueError:
            raise ValueError(
                _("%(value)r is not a date like 2024-01-28")
                % {"value": given["published_on"]}
            ) from None
    return SourceFact(
        stance=given["stance"],
        kind=given["kind"],
        publisher=given["publisher"],
        url=_web_address(given["url"]),
        archived_url=_web_address(given.get("archived_url", "")),
        published_on=day,
        language=given.get("language", "")[:8],
        title=given.get("title", ""),
        quote=given.get("quote", ""),
        note=given.get("note", ""),
    )


def parse(cell: str) -> Facts | str:
    """The facts in a ``tags`` cell, or what is wrong with its first bad tag."""
    fields: dict = {}
    roles, sites, sources, others = [], [], [], []
    for raw in cell.split(";"):
        tag = raw.strip()
        if not tag:
            continue
        if not tag.startswith(PREFIX):
            others.append(tag)
            continue
        key, equals, value = tag[len(PREFIX) :].partition("=")
        try:
            if not equals:
                raise ValueError(_("a bw: tag is key=value"))
            if key in _FIELDS:
                name, convert = _FIELDS[key]
                fields[name] = convert(unquote(value))
            elif key in ROLES:
                name, _bar, note = value.partition("|")
                name = unquote(name).strip()
                if not name:
                    raise ValueError(_("an actor tag needs a name"))
                roles.append((key, name, unquote(note)))
            elif key == "site":
                sites.append(unquote(value).strip())
            elif key == "source":
                sources.append(_source(value))
            else:
                raise ValueError(_("unknown key"))
        except ValueError as problem:
            return _("%(tag)r: %(problem)s") % {"tag": tag, "problem": problem}
    return Facts(fields, tuple(roles), tuple(sites), tuple(sources), tuple(others))


# --- writing -------------------------------------------------------------------


def _count_tag(key: str, value: int | None) -> str:
    return f"{PREFIX}{key}={UNREPORTED if value is None else value}"


def field_tags(values: dict) -> list[str]:
    """Tags for the fields in ``values`` (any of ``_FIELDS``' field names)."""
    tags = []
    for key, (name, _convert) in _FIELDS.items():
        if name not in values:
            continue
        value = values[name]
        if name in ("killed", "injured"):
            tags.append(_count_tag(key, value))
        elif name == "occurred_at":
            if value is not None:
                tags.append(f"{PREFIX}time={value.strftime('%H:%M')}")
        elif name == "precision_m":
            tags.append(
                f"{PREFIX}{key}={UNKNOWN_PRECISION if value is None else value}"
            )
        else:
            tags.append(f"{PREFIX}{key}={escape(value)}")
    return tags


def role_tags(roles: list[tuple[str, str, str]]) -> list[str]:
    """``(role, actor name, note)``, in the order of ``ROLES`` (stable)."""
    order = {role: n for n, role in enumerate(ROLES)}
    return [
        f"{PREFIX}{role}={escape(name)}" + (f"|{escape(note)}" if note else "")
        for role, name, note in sorted(roles, key=lambda triple: order[triple[0]])
    ]


def site_tags(slugs: list[str]) -> list[str]:
    return [f"{PREFIX}site={escape(slug)}" for slug in slugs]


def join(others: list[str] | tuple[str, ...], ours: list[str]) -> str:
    """ACLED's own tags first, as written, then ours."""
    return "; ".join([*others, *ours])


FIELD_NAMES = tuple(name for name, _convert in _FIELDS.values())
