"""Text normalisation, paragraphs, quotations and sentences.

Offsets everywhere in the extractor refer to one normalised text (`normalise_text`).
Matching runs on `match_view`, a same-length copy with curly quotes, apostrophes and
dashes folded to ASCII, so that a span found in the view is a span of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = str.maketrans({c: " " for c in "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\t\f\v"})
# One character to one character, so offsets survive.
_VIEW = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201b": "'", "`": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                       "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                       "\u2015": "-", "\u2212": "-"})


def normalise_text(raw: str) -> str:
    """NFC, one kind of space and newline, no zero-width characters, trimmed lines.

    Quotation marks and dashes are kept as written (evidence stays verbatim);
    `match_view` folds them for matching.

    >>> normalise_text("a\\u00a0 b\\r\\n\\r\\n\\r\\nc ")
    'a b\\n\\nc'
    """
    s = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    s = s.translate(_ZERO_WIDTH).translate(_SPACES)
    s = re.sub(r" {2,}", " ", s)
    s = "\n".join(line.strip() for line in s.split("\n"))
    s = re.sub(r"\n{3,}", "\n\n", s)
    return s.strip()


def match_view(text: str) -> str:
    """The same text with quotes and dashes folded to ASCII (same length)."""
    return text.translate(_VIEW)


@dataclass
class Quote:
    """A quotation inside one paragraph: ``start``/``end`` include the marks."""

    start: int
    end: int
    inner: tuple[int, int]
    block: bool = False  # a quotation of its own, rather than words inside a sentence
    open_end: bool = False  # runs on into the next paragraph


@dataclass
class Paragraph:
    start: int
    end: int
    heading: bool = False
    quotes: list[Quote] = field(default_factory=list)


_TERMINAL = ".!?:\"'\u201d\u2019)…"


def paragraphs(text: str) -> list[Paragraph]:
    """Blocks separated by blank lines; a line ending a sentence also ends a block."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        start = m.start()
        lines = m.group().split("\n")
        pos = start
        cur = start
        for i, line in enumerate(lines):
            end = pos + len(line)
            last = i == len(lines) - 1
            nxt = lines[i + 1] if not last else ""
            # A hard-wrapped line continues; a short line or a finished sentence ends a block.
            breaks = last or line.rstrip().endswith(tuple(_TERMINAL)) or len(line) < 40 \
                or re.match(r"[-*•\d]", nxt or "x") is not None
            if breaks:
                out.append(Paragraph(cur, end))
                cur = end + 1
            pos = end + 1
    for p in out:
        body = text[p.start:p.end].rstrip()
        words = len(body.split())
        p.heading = not body.endswith(tuple(_TERMINAL)) and words <= 30
    return out


_OPEN_OK = set(" \n([{-—–/") | {""}
_QUOTE_MARK = re.compile('[\u201c\u201d\u201e"]')


def find_quotes(text: str, para: Paragraph) -> list[Quote]:
    """Double quotations in a paragraph (curly or straight); an unclosed one runs to the end."""
    quotes = []
    end = para.end
    open_at = None
    for m in _QUOTE_MARK.finditer(text, para.start, end):
        i, c = m.start(), m.group()
        if c in "\u201c\u201e" or (c == '"' and open_at is None
                                   and (i == para.start or text[i - 1] in _OPEN_OK)):
            if open_at is None:
                open_at = i
        elif open_at is not None:
            quotes.append(Quote(open_at, i + 1, (open_at + 1, i)))
            open_at = None
    if open_at is not None:
        quotes.append(Quote(open_at, end, (open_at + 1, end), open_end=True))
    return quotes


_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "st", "no", "co", "ltd", "inc", "vs", "v", "jan",
           "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen",
           "col", "supt", "insp", "det", "sgt", "con", "rt", "hon", "cllr", "etc", "eg", "ie",
           "al", "approx", "est", "fig", "para", "paras", "s", "ss", "cf"}
_BOUNDARY = re.compile(r"[.!?…]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def sentences(text: str, start: int, end: int, protect: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end]; no split falls inside a ``protect`` span."""
    out = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        punct = m.start()
        if any(a < punct < b - 1 for a, b in protect):
            continue
        word = re.search(r"(\w+)\W*$", text[cur:punct + 1] if punct >= cur else "")
        if text[punct] == "." and word:
            w = word.group(1)
            if w.lower() in _ABBREV or (len(w) == 1 and w.isupper()):
                continue
        seg_end = cut
        while seg_end > cur and text[seg_end - 1].isspace():
            seg_end -= 1
        if seg_end > cur:
            out.append((cur, seg_end))
        cur = cut
    tail_end = end
    while tail_end > cur and text[tail_end - 1].isspace():
        tail_end -= 1
    if tail_end > cur:
        out.append((cur, tail_end))
    return out


def trim(text: str, start: int, end: int, chars: str = " \n,;:-\u2013\u2014") -> tuple[int, int]:
    """Shrink a span past surrounding spaces and light punctuation."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end
