"""Render result rows: a table on a terminal, JSON when piped, or as --format says."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

FORMATS = ("table", "json", "jsonl", "csv")
MAX_CELL = 60
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(v: Any) -> Any:
    """JSON-ready value: dates as ISO text, everything else as is."""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def cell(v: Any, width: int | None = MAX_CELL) -> str:
    """One table cell: inert text (control characters shown as \\xNN), shortened."""
    if v is None:
        s = ""
    elif isinstance(v, bool):
        s = "yes" if v else "no"
    elif isinstance(v, list):
        s = "; ".join(cell(x, None) for x in v)
    elif isinstance(v, float) and v.is_integer():
        s = str(int(v))
    else:
        s = str(plain(v))
    s = " ".join(s.split()) if "\n" in s or "\t" in s else s
    s = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", s)
    if width and len(s) > width:
        s = s[: width - 1] + "…"
    return s


def render(columns: list[str], rows: list[list[Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{c: plain(v) for c, v in zip(columns, r, strict=True)} for r in rows],
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps({c: plain(v) for c, v in zip(columns, r, strict=True)},
                                  ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([cell(v, None) for v in r])
        return buf.getvalue()
    return table(columns, rows)


def table(columns: list[str], rows: list[list[Any]]) -> str:
    cells = [[cell(v) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
