"""What an ACLED row's ``notes`` say about its own event: weapon and casualties.

ACLED writes one event per row, and its notes begin with that event ("On 28
January 2024, ...") but often go on to others: "This follows rocket attacks on
the base on 20 January", "Earlier, a drone was shot down". Only the event's own
sentences decide its weapon and its casualties, so a rocket in the background
never makes a drone attack "mixed", nor someone else's dead its toll.

**The event's sentences** are the notes' sentences (``article.sentences``, which
knows "U.S." is no sentence end; a line break does not end one) up to the first
*background* one: a sentence after the first that starts a new dated account
("On 20 January 2024, ...") or says it is about something earlier or later
("follows", "earlier", "previously", "in response to", «وجاء ذلك», «في وقت سابق»,
«ردًا على»...).

**Casualties** (``casualties``), as ACLED defines its field: ``fatalities`` 0 is
"no fatalities reported", which is Basewatch's *not reported*, unless the notes
say nobody was hurt or killed ("No casualties reported", «دون وقوع إصابات»): then
it is a reported none. A positive number is the toll. ACLED has no column for
the injured: a number of injured in the event's sentences ("injuring 4") is
taken, "no casualties" is 0, anything else ("minor injuries") is not reported.
The patterns are the article extractor's (``article.counts``), one vocabulary.
"""

import functools
import re

from incidents.ingest.article.counts import casualties as counted
from incidents.ingest.article.sentences import ascii_digits, sentence_spans

_BACKGROUND = re.compile(
    r"^(?:On|In|By)\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|"
    r"^(?:Earlier|Previously|Since|Meanwhile|Separately|Last\s+week)\b|"
    r"\b(?:this|the\s+(?:attack|strike|incident))\s+(?:follows|followed|came|comes)\b|"
    r"\b(?:follows|followed)\s+(?:an?|the|several|two|three|previous|earlier)\b|"
    r"\b(?:in\s+response\s+to|in\s+retaliation\s+for|comes?\s+after|came\s+after|"
    r"a\s+day\s+after|days\s+after|previous(?:ly)?|earlier\s+(?:in|on|that|this))\b|"
    r"^(?:و)?(?:جاء|يأتي|تأتي|وجاء)\s+ذلك|في\s+وقت\s+سابق|(?:سبق|سبقه|سبقها)\s|"
    r"رد(?:ا|ًا|اً)\s+على|^(?:و)?(?:كانت|كان)\s",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8)  # the weapon and the casualties read the same row
def event_text(notes: str) -> str:
    """The notes' sentences about the row's own event, joined by spaces."""
    if not notes or not notes.strip():
        return ""
    kept = []
    for number, (start, end) in enumerate(sentence_spans(notes)):
        sentence = notes[start:end]
        if number > 0 and _BACKGROUND.search(sentence):
            break
        kept.append(sentence)
    return " ".join(kept)


def casualties(notes: str, fatalities: int | None) -> tuple[int | None, int | None]:
    """(killed, injured) for a row with ``fatalities`` (None: no such cell) and
    these notes."""
    text = event_text(notes)
    counts = counted(text, 0, len(text), ascii_digits(text)) if text else []
    injured = next((c.number for c in counts if c.kind == "injured"), None)
    if fatalities:
        return fatalities, injured
    none_killed = any(c.kind == "killed" and c.number == 0 for c in counts)
    return (0 if none_killed else None), injured
