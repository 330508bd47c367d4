"""Deterministic ids, so that importing the same thing twice adds nothing.

>>> source_id(url="https://Example.org/a/?utm_source=x#top")
'src-26eba023f437850f'
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-"})


def _digest(*parts) -> str:
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(("utm_", "fbclid", "gclid"))]
    path = parts.path.rstrip("/") or ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def normalise_text(text: str) -> str:
    """Fold evidence for identity: Unicode form, quotes and dashes, case, whitespace."""
    s = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", s).strip()


def source_id(*, url: str | None = None, title: str | None = None,
              publisher: str | None = None, author: str | None = None,
              published: str | None = None, kind: str | None = None) -> str:
    """From the URL; with no URL, from the source's own description."""
    if url:
        return "src-" + _digest("url", normalise_url(url))
    return "src-" + _digest("meta", normalise_text(title or ""), normalise_text(publisher or ""),
                            normalise_text(author or ""), published or "", kind or "")


def statement_id(*, speaker: str, about: list[str], kind: str, status: str | None,
                 deployment: str | None, stated: str | None, evidence: str,
                 metric: tuple | None = None) -> str:
    parts = [speaker, sorted(about), kind, status, deployment, stated, normalise_text(evidence)]
    if metric is not None:
        parts.append(list(metric))
    return "st-" + _digest(*parts)


def content_hash(data) -> str:
    return _digest("content", data)
