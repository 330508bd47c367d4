"""Dates written in an article, resolved against its publication date.

`find_dates` returns every date expression in a span with its resolved value, a
partial date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and the day it anchors, so that
"a day earlier" can count from the date mentioned just before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"

_PATTERNS = [
    ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    ("dmy", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"),
    ("mdy", rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"),
    ("my", rf"\b(?P<mon>{_MONTH})\s+(?P<y>(?:19|20)\d\d)\b"),
    ("mon", rf"(?:\b(?:in|since|during|by|until|till|from|of|last|this|early|late|mid|mid-|end of|"
            rf"beginning of|start of|earlier in|later in)\s+)(?P<mon>{_MONTH})(?:,?\s+(?P<y>(?:19|20)\d\d))?(?![\w-])"),
    ("year", r"\b(?:in|since|during|by|until|from|early|late|mid|mid-|throughout)\s+(?P<y>(?:19|20)\d\d)\b"),
    ("rel", r"\b(?P<rel>last month|this month|earlier this month|last week|this week|earlier this week|"
            r"last year|this year|earlier this year|yesterday|today|tonight|this morning|recently|"
            r"the day before|the previous day|a day earlier|the day after|a day later|the next day|"
            r"the following day|a week earlier|a week later|the previous week|the following week|"
            r"a month earlier|a month later|the previous month|the following month|"
            r"the previous year|a year earlier|the following year|a year later)\b"),
    ("ago", rf"\b(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|earlier|later|before|after)\b"),
    ("wday", rf"\b(?:(?P<which>on|last|this|next|earlier on|late on)\s+)?(?P<wd>{_WEEKDAY})\b"),
]
DATE_RE = re.compile("|".join(f"(?P<{name}>{pat.replace('(?P<', f'(?P<{name}_')})"
                              for name, pat in _PATTERNS), re.IGNORECASE)


@dataclass
class FoundDate:
    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    anchor: dt.date  # the day it stands for, for relative dates after it
    explicit: bool  # written as a date ("8 August"), not "recently"
    dated: bool = False  # "dated 8 August", "on 8 August": the date of a document or act


def _month_before(pub: dt.date, month: int, year: int | None) -> int:
    if year:
        return year
    return pub.year if month <= pub.month else pub.year - 1


def _shift_month(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def _resolve(kind: str, g: dict, pub: dt.date, prev: dt.date) -> tuple[str, dt.date, bool] | None:
    if kind == "iso":
        d = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        return d.isoformat(), d, True
    if kind in ("dmy", "mdy"):
        mon = MONTHS[g["mon"].lower().rstrip(".")]
        year = int(g["y"]) if g.get("y") else None
        y = _month_before(pub, mon, year)
        d = dt.date(y, mon, int(g["d"]))
        if not year and d > pub:
            d = dt.date(y - 1, mon, int(g["d"]))
        return d.isoformat(), d, True
    if kind in ("my", "mon"):
        mon = MONTHS[g["mon"].lower().rstrip(".")]
        y = _month_before(pub, mon, int(g["y"]) if g.get("y") else None)
        d = dt.date(y, mon, 1)
        return f"{y:04d}-{mon:02d}", d, True
    if kind == "year":
        y = int(g["y"])
        return f"{y:04d}", dt.date(y, 1, 1), True
    if kind == "rel":
        r = re.sub(r"\s+", " ", g["rel"].lower())
        if r in ("last month",):
            d = _shift_month(pub, -1)
            return d.strftime("%Y-%m"), d, False
        if r in ("this month", "earlier this month", "recently"):
            return pub.strftime("%Y-%m"), pub, False
        if r in ("last week", "the previous week"):
            base = pub if r == "last week" else prev
            d = base - dt.timedelta(days=7)
            return d.strftime("%Y-%m"), d, False
        if r in ("this week", "earlier this week"):
            return pub.strftime("%Y-%m"), pub, False
        if r in ("last year",):
            return str(pub.year - 1), dt.date(pub.year - 1, 1, 1), False
        if r in ("this year", "earlier this year"):
            return str(pub.year), pub, False
        if r == "yesterday":
            d = pub - dt.timedelta(days=1)
            return d.isoformat(), d, False
        if r in ("today", "tonight", "this morning"):
            return pub.isoformat(), pub, False
        step = {"day": 1, "week": 7}
        for unit in ("day", "week", "month", "year"):
            if unit in r:
                sign = -1 if any(w in r for w in ("before", "previous", "earlier")) else 1
                if unit in step:
                    d = prev + dt.timedelta(days=sign * step[unit])
                    return (d.isoformat() if unit == "day" else d.strftime("%Y-%m")), d, False
                if unit == "month":
                    d = _shift_month(prev, sign)
                    return d.strftime("%Y-%m"), d, False
                d = dt.date(prev.year + sign, 1, 1)
                return str(d.year), d, False
        return None
    if kind == "ago":
        n = NUMBERS.get(g["n"].lower()) if not g["n"].isdigit() else int(g["n"])
        if not n:
            return None
        unit, direction = g["unit"].lower(), g["dir"].lower()
        base = pub if direction == "ago" else prev
        sign = 1 if direction in ("later", "after") else -1
        if unit in ("day", "week"):
            d = base + dt.timedelta(days=sign * n * (7 if unit == "week" else 1))
            return (d.isoformat() if unit == "day" else d.strftime("%Y-%m")), d, False
        if unit == "month":
            d = _shift_month(base, sign * n)
            return d.strftime("%Y-%m"), d, False
        d = dt.date(base.year + sign * n, 1, 1)
        return str(d.year), d, False
    if kind == "wday":
        wd = WEEKDAYS[g["wd"].lower()]
        which = (g.get("which") or "").lower()
        delta = (pub.weekday() - wd) % 7
        if which == "next":
            d = pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)
        else:
            d = pub - dt.timedelta(days=delta or 7)
        return d.isoformat(), d, False
    return None


# Every date expression holds one of these words; the full pattern only runs near them.
_TRIGGER = re.compile(r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b|"
                      r"\b(?i:last|this|recently|yesterday|today|tonight|days?|weeks?|months?|years?|"
                      r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")


def _candidates(view: str, start: int, end: int):
    windows: list[list[int]] = []
    for t in _TRIGGER.finditer(view, start, end):
        lo, hi = max(start, t.start() - 32), min(end, t.end() + 32)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    last = -1
    for lo, hi in windows:
        while lo > start and not view[lo - 1].isspace():
            lo -= 1
        for m in DATE_RE.finditer(view, max(lo, last), hi):
            last = m.end()
            yield m


def find_dates(view: str, start: int, end: int, pub: dt.date | None,
               prev: dt.date | None = None) -> list[FoundDate]:
    """Every date expression in view[start:end], resolved; [] without a publication date."""
    if pub is None:
        return []
    out = []
    prev = prev or pub
    for m in _candidates(view, start, end):
        kind = m.lastgroup
        g = {k[len(kind) + 1:]: v for k, v in m.groupdict().items()
             if k.startswith(kind + "_") and v is not None}
        # Month and weekday names must be capitalised ("may" is a verb).
        name = g.get("mon") or g.get("wd")
        if name and not name[0].isupper():
            continue
        try:
            res = _resolve(kind, g, pub, prev)
        except (ValueError, KeyError):
            res = None
        if res is None:
            continue
        value, anchor, explicit = res
        before = view[max(0, m.start() - 8):m.start()].lower()
        dated = bool(re.search(r"\b(?:dated|on)\s+$", before)) or m.group().lower().startswith("on ")
        out.append(FoundDate(m.start(), m.end(), value, anchor, explicit, dated))
        prev = anchor
    return out


def parse_published(value) -> dt.date | None:
    """A publication date from metadata: a date, 'YYYY-MM-DD', or a longer ISO stamp."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None
