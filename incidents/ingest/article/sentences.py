"""Cut an article into paragraphs, sentences and word tokens, keeping offsets.

Every piece of evidence the extractor returns must be an exact substring of the
article an editor pasted, so nothing here rewrites the text: sentences and tokens
are spans (start, end) into the original string. Work that needs a folded form
(ASCII digits for the number and date patterns) uses ``ascii_digits``, which maps
one character to one character so every offset stays valid.

The article is plain text. HTML or script tags in it are words like any others:
they are never parsed, stripped or executed, and they survive unchanged in the
evidence (escaping is the job of whatever displays it).
"""

import re
from dataclasses import dataclass, field

MAX_ARTICLE_LENGTH = 200_000

# Arabic-Indic (U+0660..) and Eastern Arabic-Indic (Persian, U+06F0..) digits.
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
# A paragraph ends at a blank line; single newlines inside one are line wrapping.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE_BREAK = re.compile(r"\n")
# A sentence ends at . ! ? ؟ (and the Urdu full stop) before whitespace or the end,
# unless the dot closes an abbreviation such as "U.S." or "Nov.".
_SENTENCE_END = re.compile(r"[.!?\u061f\u06d4]+[\"'”’»)]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen maj col lt sgt capt st jan feb mar apr jun jul aug sep sept "
    "oct nov dec u.s u.k u.n no vs etc brig adm".split()
)
# Word characters plus the marks \w does not cover (harakat, tatweel), apostrophes
# inside transliterations (Kata'ib) and hyphens inside names (Al-Tanf).
_WORD_CHARS = r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640'’\-]+"
# A name broken on purpose to dodge a platform's filters: «المـ ـقاومة», «قاعـ.ـدة»,
# «الأ.سد» (tatweel around a space or a dot, or a dot between two Arabic letters)
# is one word.
_BREAK = (
    r"(?:\u0640+[ .]\u0640*|\u0640*[ .]\u0640+"
    r"|(?<=[\u0621-\u064a])\.(?=[\u0621-\u064a]))"
)
_TOKEN = re.compile(rf"{_WORD_CHARS}(?:{_BREAK}{_WORD_CHARS})*")
_NOISE = re.compile(r"[\u0640 .]")
# Name spans never cross these: a list of places is "A, B and C", not "A B".
_CHUNK_BREAK = re.compile(r"[,،;؛:()\[\]{}|/\\.!?؟\n]")


def without_breaks(text: str) -> str:
    """``text`` with deliberately broken words joined («بصـ ـواريخ» -> «بصواريخ»),
    for the patterns that read words (weapons); not for offsets."""
    return _TOKEN.sub(lambda m: _NOISE.sub("", m.group()) or m.group(), text)


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic digits as ASCII ones, same length, same offsets."""
    return text.translate(_DIGITS)


def check_article(text: object) -> str:
    """The article as given; TypeError if it is not text, ValueError if it is
    empty (or only whitespace) or longer than ``MAX_ARTICLE_LENGTH`` characters."""
    if not isinstance(text, str):
        raise TypeError(f"An article must be text, not {type(text).__name__}.")
    if not text.strip():
        raise ValueError("The article is empty: there is no text to read.")
    if len(text) > MAX_ARTICLE_LENGTH:
        raise ValueError(
            f"The article is {len(text):,} characters long; at most "
            f"{MAX_ARTICLE_LENGTH:,} are read. Paste one article at a time."
        )
    return text


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass
class Sentence:
    """One sentence: its span in the article, its paragraph, and its tokens."""

    index: int
    paragraph: int
    start: int
    end: int
    text: str
    tokens: list[Token] = field(default_factory=list)
    # Runs of token indexes between punctuation: the spans a name may occupy.
    chunks: list[list[int]] = field(default_factory=list)


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 20) : dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    begin = start
    for found in _SENTENCE_END.finditer(text, start, end):
        if found.group().startswith(".") and _is_abbreviation(text, found.start()):
            continue
        spans.append((begin, found.end()))
        begin = found.end()
    spans.append((begin, end))
    trimmed = []
    for a, b in spans:
        piece = text[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        if a < b:
            trimmed.append((a, b))
    return trimmed


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of one paragraph of ``text``, trimmed:
    ``split_sentences`` without the tokens, for short texts read many times."""
    return _sentence_spans(text, 0, len(text))


def _tokens_and_chunks(text: str, start: int) -> tuple[list[Token], list[list[int]]]:
    tokens: list[Token] = []
    chunks: list[list[int]] = [[]]
    previous_end = 0
    for found in _TOKEN.finditer(text):
        word = found.group().strip("-'’")
        if not word:
            continue
        if _CHUNK_BREAK.search(text, previous_end, found.start()) and chunks[-1]:
            chunks.append([])
        offset = found.start() + found.group().index(word)
        clean = _NOISE.sub("", word) if _NOISE.search(word) else word
        tokens.append(Token(start + offset, start + offset + len(word), clean or word))
        chunks[-1].append(len(tokens) - 1)
        previous_end = found.end()
    return tokens, [c for c in chunks if c]


def split_sentences(text: str) -> list[Sentence]:
    """The article's sentences in order, each with its paragraph number."""
    sentences: list[Sentence] = []
    # Text with blank lines between paragraphs may be hard-wrapped inside them;
    # text without any has one paragraph per line (as copied from a web page).
    breaks = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else _LINE_BREAK
    found = list(breaks.finditer(text))
    paragraph_starts = [0] + [m.end() for m in found]
    paragraph_ends = [m.start() for m in found] + [len(text)]
    for number, (p_start, p_end) in enumerate(
        zip(paragraph_starts, paragraph_ends, strict=True)
    ):
        for a, b in _sentence_spans(text, p_start, p_end):
            tokens, chunks = _tokens_and_chunks(text[a:b], a)
            sentences.append(
                Sentence(len(sentences), number, a, b, text[a:b], tokens, chunks)
            )
    return sentences


def first_line(text: str) -> str:
    """The first non-empty line, trimmed: the article's title by convention."""
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:500]
    return ""


def detect_language(text: str) -> str:
    """ "ar" when Arabic letters outnumber Latin ones, else "en" (the two
    languages the extractor reads)."""
    arabic = len(re.findall("[\u0621-\u064a]", text))
    latin = len(re.findall("[A-Za-z]", text))
    return "ar" if arabic > latin else "en"
