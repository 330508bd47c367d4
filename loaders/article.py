"""Reading articles (.txt, .md, .html) into normalised text plus source metadata.

Metadata comes from explicit arguments, else a sidecar ``FILE.meta.yaml`` (as in
``shared/corpus``), else the page itself (trafilatura: title, author, date,
canonical URL). Captions, bylines, "Related content" teasers, navigation and
adverts are dropped, so that the text the offsets refer to is the article's own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import SheetError
from loaders.claimsheet import decode
from loaders.extract.text import normalise_text
from loaders.located import parse_yaml_documents

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SOURCE_KINDS = ("news_article", "foi_response", "press_release", "report", "parliamentary",
                "court", "statement", "dataset", "other")


class ArticleError(SheetError):
    """An article file that cannot be read as one."""


@dataclass
class Article:
    """An article's text (what spans refer to), its source metadata and its path."""

    text: str
    source: dict = field(default_factory=dict)
    path: str | None = None


_CUT_AFTER = re.compile(
    r"^(?:related(?:\s+(?:content|articles|stories|coverage|reading|links))?|more\s+on\s+this\s+story|"
    r"more\s+from\s+.{0,40}|read\s+more|you\s+(?:may|might)\s+also\s+like|most\s+(?:popular|read|viewed)|"
    r"recommended(?:\s+for\s+you)?|topics|share\s+this\s+(?:article|story)|comments?(?:\s+\(\d+\))?|"
    r"latest\s+(?:news|stories)|trending|sign\s+up\s+to\s+.{0,60}|newsletter|about\s+the\s+author|"
    r"explore\s+more\s+on\s+these\s+topics|reuse\s+this\s+content|notes?\s+to\s+editors?|"
    r"ends|-?\s*ends\s*-?|for\s+more\s+information.{0,60})\s*:?$", re.IGNORECASE)
_DROP_LINE = re.compile(
    r"^(?:article\s+image|image|advertisement|advert|sponsored(?:\s+content)?|ad|skip\s+to\s+.*|"
    r"sign\s+(?:up|in).*|subscribe.*|share\s+(?:on|via)\s+.*|share|follow\s+us.*|"
    r"(?:photograph|photo|picture|image|illustration|caption|composite|credit)s?\s*:.*|copyright.*|"
    r"©.*|all\s+rights\s+reserved.*|(?:first\s+published|last\s+(?:modified|updated))\s+on\s+.*|"
    r"(?:published|updated|posted|date)\s*:\s*\S.{0,40}|"
    r"(?:facebook|twitter|email|whatsapp|linkedin|print|x|pinterest|messenger)(?:\s*[|·]\s*\w+)*|"
    r"(?:home|news|menu|search)(?:\s*[|›>»/]\s*[\w ]+)+|\d+\s+min(?:ute)?s?\s+read|"
    r"this\s+article\s+is\s+more\s+than\s+\d+\s+\w+\s+old|"
    r"\d{1,2},?\s+\w{3},?\s+\d{4}\s*@?\s*\d{1,2}:\d\d\s*(?:am|pm)?)$", re.IGNORECASE)
_CAPTION_TAIL = re.compile(r"(?:Photograph|Photo|Picture|Image|Illustration|Composite|Credit)s?\s*:",
                           re.IGNORECASE)
_BYLINE = re.compile(r"^(?:[Bb]y|[Ww]ords\s+by|[Rr]eporting\s+by)\s+[A-Z][\w.'’-]+(?:\s+(?:and\s+)?[A-Z][\w.'’-]+){0,5}"
                     r"(?:\s*[,|·-]\s*.{0,60})?$")


def clean_lines(raw: str, author: str | None = None) -> str:
    """Drop boilerplate lines from plain text: teasers, captions, bylines, share bars."""
    lines = normalise_text(raw).split("\n")
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if _CUT_AFTER.match(s):
            break
        if s and _DROP_LINE.match(s):
            continue
        if s and _CAPTION_TAIL.search(s):
            # "People walk past … Photograph: X/Getty": a caption, often after the same line alone.
            head = _CAPTION_TAIL.split(s)[0].strip().rstrip(".")
            while out and not out[-1].strip():
                out.pop()
            if out and head and head.startswith(out[-1].strip().rstrip(".")):
                out.pop()
            continue
        if s and (_BYLINE.match(s) or (author and s.lower() == author.strip().lower())):
            continue
        out.append(s)
    # Trailing short lines after the last sentence: signatures, site names, bylines.
    while out and (not out[-1] or (len(out[-1].split()) <= 6 and not re.search(r"[.!?\"”’:)]$", out[-1]))):
        out.pop()
    text = "\n".join(out)
    return normalise_text(text)


def _strip_markdown(raw: str) -> str:
    s = re.sub(r"```.*?```", "", raw, flags=re.S)
    s = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", s)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"^\s{0,3}#{1,6}\s*", "", s, flags=re.M)
    s = re.sub(r"^\s{0,3}>\s?", "", s, flags=re.M)
    s = re.sub(r"^\s*[-*+]\s+", "", s, flags=re.M)
    s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)
    s = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", s)
    s = re.sub(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", "", s, flags=re.M)
    s = re.sub(r"`([^`]+)`", r"\1", s)
    return s


def _read_bytes(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


META_KEYS = ("title", "publisher", "author", "url", "published", "kind")


def _sidecar(path: Path) -> dict:
    """``FILE.meta.yaml`` beside the article, read as safely as a claim sheet is."""
    for cand in (path.with_suffix(".meta.yaml"), path.with_name(path.name + ".meta.yaml"),
                 path.with_suffix(".meta.yml")):
        if not cand.exists():
            continue
        try:
            text = decode(cand.read_bytes(), str(cand))
        except OSError as e:
            raise ArticleError(f"cannot read: {e.strerror}", file=str(cand)) from None
        docs = parse_yaml_documents(text, str(cand))  # no aliases, tags or deep nesting
        if not docs:
            return {}
        data, _ = docs[0]
        if not isinstance(data, dict):
            raise ArticleError("metadata must be a mapping", file=str(cand), line=1,
                               hint="give " + ", ".join(META_KEYS))
        out = {}
        for key in META_KEYS:
            value = data.get(key)
            line = data.lines.get(key) if hasattr(data, "lines") else None
            if key == "published":
                out[key] = _date_text(value, str(cand), line)
            elif value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool):
                out[key] = None if value is None else str(value)
            else:
                raise ArticleError(f"`{key}` must be text", file=str(cand), line=line,
                                   hint="quote the value")
        return out
    return {}


def _date_text(value, where: str | None = None, line: int | None = None) -> str | None:
    """A publication date as 'YYYY-MM-DD'; a date that does not exist is a user error."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    if where is None:
        return None  # what a page says about itself: ignore what cannot be read
    raise ArticleError(f"published {str(value)[:40]!r} is not a date", file=where, line=line,
                       hint="write it as YYYY-MM-DD")


def _html(raw: str) -> tuple[str, dict]:
    import trafilatura

    body = trafilatura.extract(raw, output_format="txt", include_comments=False,
                               include_tables=True, include_images=False, include_links=False,
                               favor_precision=True, deduplicate=True)
    meta = {}
    doc = trafilatura.extract_metadata(raw)
    if doc is not None:
        meta = {"title": doc.title, "author": doc.author, "published": doc.date,
                "url": doc.url, "publisher": doc.sitename}
    if not body:
        body = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style|nav|header|footer|aside).*?</\1>", "", raw))
    # trafilatura writes one paragraph a line.
    body = "\n\n".join(line for line in body.split("\n") if line.strip())
    title = meta.get("title")
    if title and not body.lstrip().startswith(title):
        body = title + "\n\n" + body
    return body, meta


def _guess_kind(text: str) -> str:
    head = text[:1500].lower()
    if re.search(r"freedom of information|\bfoi\b", head) and re.search(r"\byour request\b|\brequest (?:for|dated)\b|"
                                                                        r"\breference\b", head):
        return "foi_response"
    if re.search(r"\bpress release\b|\bnews release\b|\bmedia release\b|\bnotes to editors\b", text.lower()):
        return "press_release"
    if re.search(r"\bjudgment\b|\bneutral citation\b|\bcase no\b|\bthe court (?:held|ruled|found)\b", head):
        return "court"
    return "news_article"


def read_article(path, *, published=None, publisher=None, url=None, title=None,
                 author=None, kind=None) -> Article:
    """Read ``path`` (.txt, .md, .html) as an `Article`.

    Explicit arguments win over the sidecar ``FILE.meta.yaml``, which wins over what
    the page says about itself.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise ArticleError(f"unsupported article type {p.suffix or '(none)'!r}", file=str(p),
                           hint="give a .txt, .md or .html file")
    try:
        raw = _read_bytes(p)
    except OSError as e:
        raise ArticleError(f"cannot read: {e.strerror}", file=str(p)) from None
    page_meta: dict = {}
    side = _sidecar(p)
    auth = author or side.get("author")
    if suffix in (".html", ".htm"):
        body, page_meta = _html(raw)
    elif suffix in (".md", ".markdown"):
        body = _strip_markdown(raw)
    else:
        body = raw
    auth = auth or page_meta.get("author")
    text = clean_lines(body, auth)
    src = {
        "title": title or side.get("title") or page_meta.get("title"),
        "publisher": publisher or side.get("publisher") or page_meta.get("publisher"),
        "author": auth,
        "url": url or side.get("url") or page_meta.get("url"),
        "published": _date_text(published, "--published") if published else
        (side.get("published") or _date_text(page_meta.get("published"))),
        "kind": kind or side.get("kind") or _guess_kind(text),
    }
    if not src["title"]:
        first = text.split("\n", 1)[0].strip()
        src["title"] = first[:200] or p.stem
    if src["kind"] not in SOURCE_KINDS:
        src["kind"] = "other"
    return Article(text, src, str(p))
