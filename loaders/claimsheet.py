"""Claim sheets, format 1: read (YAML, JSON, JSON Lines), validate and resolve names.

`load_sheets(path)` returns one `ClaimSheet` per sheet in the file, every name resolved to
an id against the gazetteer, the sheet's own `entities` and `trials`, and whatever the
caller already knows (the store's entities and trials). Every problem is a `SheetError`
that names the file, the line and the field, and says what is allowed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import SheetError, StatusgraphError, UnknownEntity
from graph.model import model
from loaders.gazetteer import Entity, Gazetteer, builtin, normalise_name, slug
from loaders.located import LDict, LList, parse_json, parse_yaml_documents

SHEET_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
MAX_BYTES = 20 * 1024 * 1024

TOP_KEYS = {"format", "source", "entities", "trials", "statements", "review"}
SOURCE_KEYS = {"title", "publisher", "author", "url", "published", "kind", "cites"}
ENTITY_KEYS = {"name", "type", "id", "aliases", "role", "member_of", "kind", "nation"}
TRIAL_KEYS = {"name", "id", "technology", "run_by", "funded_by", "description"}
STATEMENT_KEYS = {"speaker", "about", "kind", "status", "metric", "value", "unit", "period",
                  "trial", "technology", "stated", "quote", "evidence", "span", "confidence",
                  "method"}


@dataclass
class PartialDate:
    """A date as precise as the sheet gave it; ``date`` is the first day it covers."""

    date: dt.date
    text: str  # YYYY, YYYY-MM or YYYY-MM-DD


@dataclass
class SourceInfo:
    title: str | None
    publisher: str | None
    author: str | None
    url: str | None
    published: PartialDate | None
    kind: str
    cites: list[str] = field(default_factory=list)


@dataclass
class TrialInfo:
    id: str
    name: str
    technology: str | None  # technology id
    run_by: Entity | None
    funded_by: Entity | None
    description: str | None


@dataclass
class Claim:
    """One resolved statement of a sheet."""

    line: int | None
    speaker: Entity
    about: list[Entity | TrialInfo]
    kind: str
    status: str | None
    trial: TrialInfo | None
    technology: str | None  # technology id (the trial's when only a trial is given)
    stated: PartialDate | None
    quote: bool
    evidence: str
    span: tuple[int, int] | None
    confidence: float | None
    method: str
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    period: tuple[dt.date | None, dt.date | None] | None = None


@dataclass
class ClaimSheet:
    path: str
    line: int | None
    source: SourceInfo
    entities: list[Entity]
    trials: dict[str, TrialInfo]
    claims: list[Claim]
    gazetteer: Gazetteer
    declared_trials: set[str] = field(default_factory=set)  # ids this sheet's `trials:` lists
    raw: dict = field(repr=False, default_factory=dict)


@dataclass
class Context:
    """What the caller already knows beyond the gazetteer (typically: the store's)."""

    entities: list[Entity] = field(default_factory=list)
    trials: dict[str, TrialInfo] = field(default_factory=dict)
    default_method: str = "manual"


def read_text(path: Path) -> str:
    """A file's text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252."""
    try:
        st = path.stat()
    except OSError as e:
        raise SheetError(f"cannot read: {e.strerror}", file=str(path)) from None
    if not stat.S_ISREG(st.st_mode):
        # a device (/dev/zero), pipe or socket would never end, or never start
        raise SheetError("not a regular file (a device, pipe or socket)", file=str(path),
                         hint="give a YAML, JSON or JSON Lines claim sheet")
    too_big = SheetError(f"file is {max(st.st_size, MAX_BYTES + 1) // (1024 * 1024)} MB, over the "
                         f"{MAX_BYTES // (1024 * 1024)} MB limit for one claim sheet",
                         file=str(path), hint="split it into several smaller sheet files")
    if st.st_size > MAX_BYTES:
        raise too_big
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as e:
        raise SheetError(f"cannot read: {e.strerror}", file=str(path)) from None
    if len(data) > MAX_BYTES:
        raise too_big
    return decode(data, str(path))


def decode(data: bytes, path: str) -> str:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise SheetError("UTF-32 text is not supported", file=path,
                         hint="save the file as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode(data, "utf-8", path, "it starts with a UTF-8 byte-order mark but ", skip=3)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16", path, "it starts with a UTF-16 byte-order mark but ")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if b"\x00" in data:
                raise _nul_error(data, path) from None
            text = _decode(data, "cp1252", path, "not UTF-8, and ")
    if "\x00" in text:
        raise _nul_error(data, path)
    return text


_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}


def _nul_error(data: bytes, path: str) -> SheetError:
    sample = data[:4096]
    if len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4
                             or sample[0::2].count(0) > len(sample) // 4):
        return SheetError("looks like UTF-16 text without a byte-order mark", file=path,
                          hint="save the file as UTF-8 (or UTF-16 with a BOM)")
    return SheetError("binary data, not text (NUL bytes)", file=path,
                      hint="give a YAML, JSON or JSON Lines claim sheet")


def _decode(data: bytes, encoding: str, path: str, why: str = "", skip: int = 0) -> str:
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as e:
        at = skip + e.start
        line = data[skip:at].decode(encoding, errors="replace").count("\n") + 1
        raise SheetError(f"{why}not valid {_ENCODING_NAMES.get(encoding, encoding)} text "
                         f"(byte {data[at]:#04x} at offset {at})", file=path,
                         line=line, hint="save the file as UTF-8") from None


def load_sheets(path: str | Path, context: Context | None = None,
                gazetteer: Gazetteer | None = None) -> list[ClaimSheet]:
    """Read, validate and resolve every claim sheet in ``path``."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise SheetError(f"unsupported file type {path.suffix or '(none)'!r}", file=name,
                         hint="claim sheets are .yaml, .yml, .json or .jsonl")
    text = read_text(path)
    return parse_sheets(text, name, suffix, context, gazetteer)


def parse_sheets(text: str, name: str, suffix: str, context: Context | None = None,
                 gazetteer: Gazetteer | None = None) -> list[ClaimSheet]:
    context = context or Context()
    base = (gazetteer or builtin())
    if context.entities:
        base = base.extended(context.entities)
    if suffix == ".jsonl":
        docs = []
        for i, line in enumerate(text.splitlines()):
            if line.strip():
                docs.append((parse_json(line, name, line_offset=i, one_line=True), i + 1))
    elif suffix == ".json":
        docs = [(parse_json(text, name), 1)] if text.strip() else []
    else:
        docs = parse_yaml_documents(text, name)
    if not docs:
        raise SheetError("empty file: no claim sheet in it", file=name, line=1,
                         hint=f"start with `format: {model().format}`")
    sheets = []
    known = base.extended([])  # what this file's earlier sheets declared
    for doc, line in docs:
        try:
            sheet = _SheetReader(name, doc, line, known, context).read()
        except StatusgraphError as e:
            raise e.located(name, line) from None
        known.learn(sheet.entities)
        sheets.append(sheet)
    return sheets


def parse_date(value: Any, where: str) -> PartialDate:
    """YYYY, YYYY-MM or YYYY-MM-DD (or a YAML date) as a `PartialDate`."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value, value.isoformat())
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SheetError(f"{where} must be a date, not {_typename(value)}",
                         hint="write YYYY, YYYY-MM or YYYY-MM-DD")
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        raise SheetError(f"{where} {text!r} is not a date", hint="write YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    if not 1900 <= y <= 2100:
        raise SheetError(f"{where} {text!r}: year {y} is out of range",
                         hint="years from 1900 to 2100 are accepted")
    try:
        date = dt.date(y, mo, d)
    except ValueError as e:
        raise SheetError(f"{where} {text!r} is impossible ({e})",
                         hint="check the month and day") from None
    norm = f"{y:04d}" + (f"-{mo:02d}" if m[2] else "") + (f"-{d:02d}" if m[3] else "")
    return PartialDate(date, norm)


def _typename(v) -> str:
    if v is None:
        return "empty"
    return {dict: "a mapping", LDict: "a mapping", list: "a list", LList: "a list",
            str: "text", int: "a number", float: "a number", bool: "true/false"}.get(type(v),
                                                                                  type(v).__name__)


def _choices(value: str, allowed, what: str) -> str:
    near = difflib.get_close_matches(str(value), list(allowed), n=1, cutoff=0.6)
    hint = f"did you mean {near[0]!r}? " if near else ""
    return hint + f"allowed {what}: " + ", ".join(allowed)


class _SheetReader:
    def __init__(self, path: str, doc: Any, line: int, gazetteer: Gazetteer, context: Context):
        self.path, self.doc, self.line = path, doc, line
        self.g = gazetteer
        self.context = context
        self.m = model()

    # -- helpers -------------------------------------------------------------------
    def err(self, msg: str, node: Any = None, key: Any = None, hint: str | None = None):
        return SheetError(msg, file=self.path, line=self.line_in(node, key), hint=hint)

    def line_in(self, node: Any, key: Any = None) -> int:
        """The line of ``node[key]`` (or of ``node``); a JSON Lines sheet is plain data, all
        of it on the sheet's own line."""
        if isinstance(node, (LDict, LList)):
            return (node.line_of(key) if key is not None else node.line) or self.line
        return self.line

    def mapping(self, node, where: str, allowed: set[str], parent=None, key=None) -> LDict:
        if not isinstance(node, dict):
            raise self.err(f"{where} must be a mapping, not {_typename(node)}", parent, key,
                           hint="see the claim-sheet format in the README")
        for k in node:
            if k not in allowed:
                near = difflib.get_close_matches(str(k), sorted(allowed), n=1, cutoff=0.6)
                hint = (f"did you mean {near[0]!r}? " if near else "") + "allowed keys: " + \
                    ", ".join(sorted(allowed))
                raise self.err(f"unknown key {k!r} in {where}", node, k, hint=hint)
        return node

    def text(self, node: LDict, key: str, where: str, required=False) -> str | None:
        v = node.get(key)
        if v is None:
            if required:
                raise self.err(f"{where} needs `{key}`", node, hint=f"add `{key}:`")
            return None
        if isinstance(v, bool) or isinstance(v, (dict, list)):
            raise self.err(f"{where}.{key} must be text, not {_typename(v)}", node, key)
        s = str(v).strip()
        if required and not s:
            raise self.err(f"{where}.{key} is empty", node, key, hint=f"give a value for `{key}`")
        return s or None

    def listing(self, node: LDict, key: str, where: str) -> LList:
        v = node.get(key)
        if v is None:
            out = LList()
            out.line = self.line_in(node, key)
            return out
        if isinstance(v, str):
            out = LList([v])
            out.line = self.line_in(node, key)
            out.lines = [out.line]
            return out
        if not isinstance(v, list):
            raise self.err(f"{where}.{key} must be a list, not {_typename(v)}", node, key)
        return v

    def date(self, node: LDict, key: str, where: str) -> PartialDate | None:
        v = node.get(key)
        if v is None:
            return None
        try:
            return parse_date(v, f"{where}.{key}")
        except SheetError as e:
            raise e.located(self.path, self.line_in(node, key)) from None

    def resolve(self, name: Any, node, key, where: str, types=None) -> Entity:
        if not isinstance(name, str):
            raise self.err(f"{where} must be a name, not {_typename(name)}", node, key)
        try:
            return self.g.resolve_entity(name, types)
        except UnknownEntity as e:
            e.message = f"{e.message} in {where}"
            raise e.located(self.path, self.line_in(node, key)) from None

    # -- the sheet -------------------------------------------------------------------
    def read(self) -> ClaimSheet:
        doc = self.mapping(self.doc, "the sheet", TOP_KEYS)
        fmt = doc.get("format")
        if fmt is None:
            raise self.err("missing `format`", doc, hint=f"the first line is `format: {self.m.format}`")
        if fmt != self.m.format:
            raise self.err(f"unsupported format {fmt!r}", doc, "format",
                           hint=f"this version reads `{self.m.format}`")
        if "source" not in doc:
            raise self.err("missing `source`", doc, hint="add `source:` with title, publisher, "
                           "published, kind")
        source = self.read_source(doc["source"], doc)
        entities = self.read_entities(doc)
        trials = self.read_trials(doc)
        if "statements" not in doc:
            raise self.err("missing `statements`", doc, hint="add `statements:` (a list)")
        stmts = self.listing(doc, "statements", "the sheet")
        claims = [self.read_statement(s, stmts, i, trials) for i, s in enumerate(stmts)]
        declared = {t for t in trials if t not in self.context.trials or t in self._declared}
        return ClaimSheet(self.path, self.line, source, entities, trials, claims, self.g,
                          declared, doc)

    def read_source(self, node, doc) -> SourceInfo:
        node = self.mapping(node, "source", SOURCE_KEYS, doc, "source")
        kind = self.text(node, "kind", "source") or "other"
        if kind not in self.m.source_kinds:
            raise self.err(f"unknown source kind {kind!r}", node, "kind",
                           hint=_choices(kind, self.m.source_kinds, "kinds"))
        url = self.text(node, "url", "source")
        if url and not re.match(r"(?i)^(https?|ftp|file)://\S+$|^urn:\S+$", url):
            raise self.err(f"source.url {url!r} is not a URL", node, "url",
                           hint="give an http(s):// address, or null")
        title = self.text(node, "title", "source")
        publisher = self.text(node, "publisher", "source")
        if not (url or title):
            raise self.err("source needs a `title` or a `url`", node,
                           hint="add the title of the article, response or report")
        cites = [str(c) for c in self.listing(node, "cites", "source")]
        return SourceInfo(title, publisher, self.text(node, "author", "source"), url,
                          self.date(node, "published", "source"), kind, cites)

    def read_entities(self, doc) -> list[Entity]:
        items = self.listing(doc, "entities", "the sheet")
        specs = []
        for i, node in enumerate(items):
            where = f"entities[{i}]"
            node = self.mapping(node, where, ENTITY_KEYS, items, i)
            name = self.text(node, "name", where, required=True)
            etype = self.text(node, "type", where, required=True)
            if etype not in self.m.entity_types:
                raise self.err(f"unknown entity type {etype!r} in {where}", node, "type",
                               hint=_choices(etype, self.m.entity_types, "types"))
            aliases = tuple(str(a) for a in self.listing(node, "aliases", where))
            kind = self.text(node, "kind", where)
            if kind and etype == "Body" and kind not in self.m.body_kinds:
                raise self.err(f"unknown body kind {kind!r} in {where}", node, "kind",
                               hint=_choices(kind, self.m.body_kinds, "kinds"))
            known = [e for e in self.g.lookup(name) if e.type == etype]
            eid = self.text(node, "id", where) or (known[0].id if len(known) == 1 else slug(name))
            other = self.g.entities.get(eid)
            if other is not None and other.type != etype:
                raise self.err(f"{name!r} is declared as a {etype} but {other.name!r} ({eid}) is"
                               f" a {other.type}", node, "type", hint="fix `type` or give an `id`")
            specs.append((node, Entity(eid, other.name if other else name, etype, kind,
                                       self.text(node, "nation", where),
                                       self.text(node, "role", where), None, aliases,
                                       builtin=False)))
        self.g = self.g.extended([e for _, e in specs])  # this sheet's own layer
        out = []
        for i, (node, e) in enumerate(specs):
            member = node.get("member_of")
            if member is not None:
                org = self.resolve(member, node, "member_of", f"entities[{i}].member_of",
                                   ("Body", "Force"))
                e = Entity(e.id, e.name, e.type, e.kind, e.nation, e.role, org.id, e.aliases,
                           builtin=False)
            out.append(e)
        self.g.learn(out)
        return out

    def read_trials(self, doc) -> dict[str, TrialInfo]:
        trials: dict[str, TrialInfo] = dict(self.context.trials)
        self._declared: set[str] = set()
        self._declared_order: list[str] = []
        self._redeclared = False  # a known trial declared again: scan, as the index may lag
        items = self.listing(doc, "trials", "the sheet")
        for i, node in enumerate(items):
            where = f"trials[{i}]"
            node = self.mapping(node, where, TRIAL_KEYS, items, i)
            name = self.text(node, "name", where, required=True)
            tech = None
            if node.get("technology") is not None:
                tech = self.technology(node, "technology", where)
            run_by = funded_by = None
            if node.get("run_by") is not None:
                run_by = self.resolve(node["run_by"], node, "run_by", f"{where}.run_by",
                                      ("Force", "Body"))
            if node.get("funded_by") is not None:
                funded_by = self.resolve(node["funded_by"], node, "funded_by",
                                         f"{where}.funded_by", ("Body",))
            tid = self.text(node, "id", where) or slug(name)
            if tid in self.g.technologies:
                # a statement's deployment is a trial id or a technology id: they must differ
                raise self.err(f"trial {name!r} would have the id {tid!r} of a technology",
                               node, "id" if node.get("id") else "name",
                               hint="name the trial itself (who, where, when) or give it an `id:`")
            if tid in self._declared:
                raise self.err(f"trial {name!r} is declared twice", node, "name",
                               hint="keep one entry under `trials:`")
            self._declared.add(tid)
            self._declared_order.append(tid)
            self._redeclared |= tid in self.context.trials
            trials[tid] = TrialInfo(tid, name, tech, run_by, funded_by,
                                    self.text(node, "description", where))
        return trials

    def technology(self, node, key, where) -> str:
        v = node.get(key)
        if not isinstance(v, str):
            raise self.err(f"{where}.{key} must be a name, not {_typename(v)}", node, key)
        try:
            return self.g.resolve_technology(v).id
        except UnknownEntity as e:
            e.message = f"{e.message} in {where}"
            raise e.located(self.path, self.line_in(node, key)) from None

    def trial_named(self, want: str, trials, raw_id: bool = False) -> TrialInfo | None:
        """The first trial (in ``trials`` order) whose folded name or id is ``want``.

        Every sheet sees every trial known so far (500 in a national corpus), so the
        known ones are looked up in an index kept on the context; this sheet's own are
        scanned after them, and a miss is confirmed by the plain scan.
        """
        def match(t):
            return want in (normalise_name(t.name), t.id if raw_id else normalise_name(t.id))

        if not self._redeclared:
            t = _trial_index(self.context, raw_id).get(want)
            if t is not None and self.context.trials.get(t.id) is t and trials.get(t.id) is t:
                return t
            for tid in self._declared_order:
                if match(trials[tid]):
                    return trials[tid]
        return next((t for t in trials.values() if match(t)), None)

    def find_trial(self, name: Any, trials, node, key, where) -> TrialInfo:
        if isinstance(name, str):
            t = self.trial_named(normalise_name(name), trials)
            if t is not None:
                return t
        names = [t.name for t in trials.values()]
        near = difflib.get_close_matches(str(name), names, n=1, cutoff=0.5)
        hint = (f"did you mean {near[0]!r}? " if near else "") + "declare it under `trials:`"
        raise self.err(f"unknown trial {name!r} in {where}", node, key, hint=hint)

    def read_statement(self, node, parent, i, trials) -> Claim:
        where = f"statements[{i}]"
        node = self.mapping(node, where, STATEMENT_KEYS, parent, i)
        if node.get("speaker") is None:
            raise self.err(f"{where} needs `speaker`", node, hint="who makes the claim?")
        speaker = self.resolve(node["speaker"], node, "speaker", f"{where}.speaker",
                               ("Force", "Body", "Person"))
        about: list = []
        items = self.listing(node, "about", where)
        for j, name in enumerate(items):
            if not isinstance(name, str):
                raise self.err(f"{where}.about[{j}] must be a name, not {_typename(name)}",
                               items, j)
            # a trial named as a subject: looked up first, so that no failed entity
            # look-up computes name suggestions only to throw them away
            subject = None
            if not self.g.lookup(name):
                subject = self.trial_named(normalise_name(name), trials, raw_id=True)
            if subject is None:
                try:
                    subject = self.g.resolve_entity(name)
                except UnknownEntity as e:
                    e.message = f"{e.message} in {where}.about"
                    raise e.located(self.path, self.line_in(items, j)) from None
            if subject not in about:
                about.append(subject)
        kind = self.text(node, "kind", where, required=True)
        if kind not in self.m.statement_kinds:
            raise self.err(f"unknown kind {kind!r} in {where}", node, "kind",
                           hint=_choices(kind, self.m.statement_kinds, "kinds"))
        status = self.text(node, "status", where)
        if kind == "status":
            if status is None:
                raise self.err(f"{where} is kind status but has no `status`", node,
                               hint="allowed: " + ", ".join(self.m.statuses))
            if status not in self.m.statuses:
                raise self.err(f"unknown status {status!r} in {where}", node, "status",
                               hint=_choices(status, list(self.m.statuses), "statuses"))
        elif status is not None:
            raise self.err(f"{where} has a status but is kind {kind}", node, "status",
                           hint="a status belongs to kind: status only; remove it or fix kind")
        trial = None
        if node.get("trial") is not None:
            trial = self.find_trial(node["trial"], trials, node, "trial", f"{where}.trial")
        technology = None
        if node.get("technology") is not None:
            technology = self.technology(node, "technology", where)
        elif trial is not None:
            technology = trial.technology
        if kind == "status" and trial is None and technology is None:
            raise self.err(f"{where} is a status claim about no deployment", node,
                           hint="give `trial:` or `technology:`")
        evidence = node.get("evidence")
        if not isinstance(evidence, str) or not evidence.strip():
            raise self.err(f"{where} needs `evidence` (text)", node,
                           "evidence" if "evidence" in node else None,
                           hint="quote the words of the source that carry the claim")
        quote = node.get("quote", False)
        if quote is None:
            quote = False
        if not isinstance(quote, bool):
            raise self.err(f"{where}.quote must be true or false, not {_typename(quote)}",
                           node, "quote")
        span = None
        if node.get("span") is not None:
            sp = node["span"]
            if (not isinstance(sp, list) or len(sp) != 2
                    or not all(isinstance(x, int) and not isinstance(x, bool) for x in sp)
                    or sp[0] < 0 or sp[1] < sp[0]):
                raise self.err(f"{where}.span must be [start, end], two offsets with start <= end",
                               node, "span")
            span = (sp[0], sp[1])
        confidence = None
        if node.get("confidence") is not None:
            c = node["confidence"]
            if isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 <= c <= 1:
                raise self.err(f"{where}.confidence must be a number from 0 to 1", node,
                               "confidence")
            confidence = float(c)
        method = self.text(node, "method", where) or self.context.default_method
        if method not in self.m.methods:
            raise self.err(f"unknown method {method!r} in {where}", node, "method",
                           hint=_choices(method, self.m.methods, "methods"))
        claim = Claim(self.line_in(node), speaker, about, kind, status, trial, technology,
                      self.date(node, "stated", where), quote, evidence.strip(), span,
                      confidence, method)
        metric_keys = [k for k in ("metric", "value", "unit", "period") if node.get(k) is not None]
        if kind == "metric":
            self.read_metric(node, where, claim)
        elif metric_keys:
            raise self.err(f"{where} has `{metric_keys[0]}` but is kind {kind}", node,
                           metric_keys[0], hint="metric fields belong to kind: metric only")
        return claim

    def read_metric(self, node, where, claim: Claim) -> None:
        metric = self.text(node, "metric", where, required=True)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", metric):
            raise self.err(f"{where}.metric {metric!r} must be a snake_case name", node, "metric",
                           hint="for example: " + ", ".join(self.m.metrics))
        value = node.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.err(f"{where}.value must be a number", node,
                           "value" if "value" in node else None, hint="a metric needs `value:`")
        period = None
        if node.get("period") is not None:
            p = node["period"]
            if not isinstance(p, list) or len(p) != 2:
                raise self.err(f"{where}.period must be [from, to]", node, "period")
            ends = []
            for x in p:
                if x is None:
                    ends.append(None)
                else:
                    try:
                        ends.append(parse_date(x, f"{where}.period").date)
                    except SheetError as e:
                        raise e.located(self.path, self.line_in(node, "period")) from None
            if ends[0] and ends[1] and ends[1] < ends[0]:
                raise self.err(f"{where}.period ends before it starts", node, "period")
            period = (ends[0], ends[1])
        claim.metric, claim.value, claim.period = metric, float(value), period
        claim.unit = self.text(node, "unit", where)


def _trial_index(context: Context, raw_id: bool) -> dict[str, TrialInfo]:
    """Folded name (and id) -> first such trial of ``context.trials``, rebuilt when it grows."""
    cache = context.__dict__.setdefault("_trial_index", {})
    entry = cache.get(raw_id)
    if entry is None or entry[0] != len(context.trials):
        index: dict[str, TrialInfo] = {}
        for t in context.trials.values():
            index.setdefault(normalise_name(t.name), t)
            index.setdefault(t.id if raw_id else normalise_name(t.id), t)
        entry = cache[raw_id] = (len(context.trials), index)
    return entry[1]
