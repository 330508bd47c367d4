"""Canned queries: `.cypher` files with a header that declares their parameters.

Header lines (``//`` comments at the top of the file)::

    // NAME: one-line title
    // free text: the description
    // @param NAME TYPE[?] description      (TYPE: entity, trial, technology, date,
    //                                        statement, text, int; ? = optional)
    // @example statusgraph query NAME -p key=value

Every query pages its rows with two reserved parameters, ``$skip`` and ``$limit``, that
are not declared: the file places ``SKIP $skip LIMIT $limit`` where paging is cheapest.
An entity-scoped query pages right after it has the subject's claims in order and before
the joins that only decorate a row (at 1M statements the first 100 of the Met's 238k
claims take 0.2-0.4 s, all of them 4-5 s). ``$limit`` is ``ALL_ROWS`` when every row is wanted.
A third reserved parameter, ``$through`` (``$skip + $limit``: the rows up to the page's
end), is sent too (neither engine takes ``LIMIT $skip + $limit``). On LadybugDB the runner
sends ``$skip`` as 0 and drops the rows before the page itself (`SKIP_PAST_END_CRASHES`).

A query that pairs claims (self-vs-others, contradictions) orders its rows by one side
of the pair, the *anchor*, first, and keeps only the first ``$anchors`` anchors before it
pairs (``LIMIT $anchors``): the rows of the first k anchors are then the answer's first
rows. Pairing within one subject is a product of two sides, so the fewer anchors the
cheaper (at 1M statements, 101 of Kent's own claims made 63,000 pairs in 1.1 s; 5 made
1,500 in 0.16 s). An anchor may have no row (an own claim nobody answers), so when a
page comes back short the runner asks again with 8 times as many anchors, and then with
every anchor, which alone shows that the answer has ended. It starts with 4 anchors in a
scoped form (at 1M, over ten forces' first pages, 4 gave a lower median than 1 or 8 for
both pairing queries) and with ``$through`` in a global one, whose pairing is a join with
the whole ABOUT table whatever the number of anchors (global contradictions at 1M, in an
earlier form: 4.0-4.1 s for 4, 32 and 101 anchors).

A file under ``queries/scoped/NAME.cypher`` replaces ``NAME.cypher`` when every optional
parameter is given: the same query, with each MATCH anchored on the given key. LadybugDB
plans a MATCH that starts from a node carried over a ``WITH``, or from ``$p = '' OR
x.id = $p``, as a scan of the whole table; one that starts from ``x.id = $p`` as a key
look-up.

Values reach Cypher only as parameters, never formatted into the text. Every declared
parameter is always sent, since Neo4j refuses a missing one; an absent optional one is
sent as '' (empty text) and tested with ``$name = ''``, because LadybugDB types a NULL
parameter as BOOL and then fails to compare it with a string.
A file under ``queries/<backend>/NAME.cypher`` overrides the portable one for that backend.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import QueryError, UnknownEntity
from graph.store import Rows, Store

HERE = Path(__file__).parent
PARAM_TYPES = ("entity", "trial", "technology", "date", "statement", "text", "int")
PAGE_PARAMS = ("skip", "limit")  # reserved: every query takes them, none declares them
PAGE_END_PARAM = "through"  # reserved too: sent always, used by the queries that need it
ANCHORS_PARAM = "anchors"  # reserved: how many anchors a pairing query pairs (see above)
FIRST_ANCHORS = 4  # the first try of a scoped form; then 8 times as many
ALL_ROWS = 2**62  # the $limit that means "no limit" (both engines need an integer)
# LadybugDB 0.22 can crash the process (SIGSEGV) on ORDER BY … SKIP s LIMIT l when s is
# past the end of the rows: 20 of 41 offsets from 20,000 to 120,000 over 10 rows, and
# self-vs-others for one force at offset 3,170 where its 4-anchor try had 1,148 rows. The
# same LIMIT without SKIP, or SKIP without ORDER BY, did not crash at any of those. So the
# runner never sends it a SKIP: it asks for the rows up to the page's end and drops those
# before the page, at the cost of moving them (a deep page costs its offset in rows).
SKIP_PAST_END_CRASHES = frozenset({"embedded"})
# A whole answer (limit=None, the CLI's --all) is held in memory: past this many rows it is
# refused rather than left to fill it: the benchmark's query process at 100k statements
# passed 18 GB of RSS while it asked for whole pair answers (self-vs-others, --all).
WHOLE_ANSWER_MAX_ROWS = 1_000_000


def page_params(limit: int | None = None, offset: int = 0) -> dict[str, int]:
    """The values of the reserved page parameters: ``limit`` rows (None: all) after ``offset``."""
    limit = ALL_ROWS if limit is None else limit
    return {"skip": offset, "limit": limit, PAGE_END_PARAM: min(offset + limit, ALL_ROWS)}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    text: str
    path: Path
    variants: tuple[tuple[str, str], ...] = ()  # (backend, text)
    scoped: str | None = None  # queries/scoped/NAME.cypher: when every optional param is given

    def text_for(self, backend: str, *, scoped: bool = False) -> str:
        if scoped and self.scoped is not None:
            return self.scoped
        return dict(self.variants).get(backend, self.text)

    @property
    def anchored(self) -> bool:
        """Whether the query pairs only its first ``$anchors`` anchors."""
        return f"${ANCHORS_PARAM}" in _strip_comments(self.text)


def parse_query_file(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    title, desc, params, examples = "", [], [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        if n == 1:
            name, _, title = body.partition(":")
            if name.strip() != path.stem:
                raise QueryError(f"header names {name.strip()!r}, file is {path.stem!r}",
                                 file=str(path), line=1)
            title = title.strip()
        elif body.startswith("@param"):
            m = re.fullmatch(r"@param\s+(\w+)\s+(\w+)(\?)?\s*(.*)", body)
            if not m or m[2] not in PARAM_TYPES:
                raise QueryError(f"bad @param line: {body!r}", file=str(path), line=n,
                                 hint="write `@param NAME TYPE[?] description`, TYPE one of "
                                 + ", ".join(PARAM_TYPES))
            params.append(Param(m[1], m[2], m[3] != "?", m[4]))
        elif body.startswith("@example"):
            examples.append(body[len("@example"):].strip())
        else:
            desc.append(body)
    declared = {p.name for p in params}
    reserved = declared & RESERVED
    if reserved:
        raise QueryError(f"@param {sorted(reserved)[0]} is reserved", file=str(path),
                         hint="$skip, $limit, $through and $anchors are the page; every "
                              "query takes them undeclared")
    _check_params(text, declared, path)
    variants, scoped = [], None
    folder = path.parent
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and (sub / path.name).exists():
            other = (sub / path.name).read_text(encoding="utf-8")
            if sub.name == SCOPED:
                if all(p.required for p in params):
                    raise QueryError("a scoped variant of a query with no optional parameter",
                                     file=str(sub / path.name),
                                     hint="queries/scoped/ holds the form used when every "
                                     "optional parameter is given")
                _check_params(other, declared, sub / path.name)
                scoped = other
            else:
                variants.append((sub.name, other))
    return CannedQuery(path.stem, title, " ".join(desc), tuple(params), tuple(examples), text,
                       path, tuple(variants), scoped)


SCOPED = "scoped"  # queries/scoped/NAME.cypher: NAME with every optional parameter given
RESERVED = frozenset({*PAGE_PARAMS, PAGE_END_PARAM, ANCHORS_PARAM})


def _check_params(text: str, declared: set[str], path: Path) -> None:
    used = set(re.findall(r"\$(\w+)", _strip_comments(text)))
    if not set(PAGE_PARAMS) <= used:
        raise QueryError("query does not page its rows", file=str(path),
                         hint="use SKIP $skip LIMIT $limit (see queries/runner.py)")
    used -= RESERVED
    if used != declared:
        raise QueryError(f"parameters used {sorted(used)} but declared {sorted(declared)}",
                         file=str(path), hint="declare every $name with an @param line")


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def canned_queries() -> dict[str, CannedQuery]:
    """Every canned query, by name."""
    return {p.stem: parse_query_file(p) for p in sorted(HERE.glob("*.cypher"))}


def get_query(name: str) -> CannedQuery:
    queries = canned_queries()
    if name not in queries:
        near = difflib.get_close_matches(name, list(queries), n=1, cutoff=0.5)
        raise QueryError(f"no canned query {name!r}",
                         hint=(f"did you mean {near[0]!r}? " if near else "")
                         + "see `statusgraph query --list`")
    return queries[name]


def store_gazetteer(store: Store):
    """The built-in gazetteer extended with every entity the store holds."""
    from loaders.gazetteer import Entity, builtin

    entities = []
    for label in ("Force", "Body", "Person"):
        rows = store.query(f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name, "
                           "n.aliases AS aliases")
        for r in rows.dicts():
            entities.append(Entity(r["id"], r["name"] or r["id"], label,
                                   aliases=tuple(r["aliases"] or ()), builtin=False))
    return builtin().extended(entities)


def resolve_param(store: Store, p: Param, raw: Any, cache: dict) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    value = str(raw).strip()
    where = f"parameter {p.name}"
    if p.type == "entity":
        # an id is the common case (and what other queries print): one key look-up per
        # label instead of reading every entity's names into an index
        for label in ("Force", "Body", "Person", "Trial"):
            if store.query(f"MATCH (n:{label} {{id: $id}}) RETURN n.id AS id",
                           {"id": value}).rows:
                return value
        if "g" not in cache:
            cache["g"] = store_gazetteer(store)
        try:
            return cache["g"].resolve_entity(value).id
        except UnknownEntity as e:
            # a trial can be a subject too (ABOUT points at Force, Body, Person or Trial)
            trial = _find_trial(store, value)
            if trial is not None:
                return trial
            raise QueryError(f"{e.message} ({where})", hint=e.hint) from None
    if p.type == "technology":
        from loaders.gazetteer import builtin
        try:
            return builtin().resolve_technology(value).id
        except UnknownEntity as e:
            raise QueryError(f"{e.message} ({where})", hint=e.hint) from None
    if p.type == "trial":
        found = _find_trial(store, value)
        if found is not None:
            return found
        rows = store.query(TRIALS).dicts()
        near = difflib.get_close_matches(value, [r["name"] for r in rows if r["name"]], n=3,
                                         cutoff=0.4)
        raise QueryError(f"unknown trial {value!r} ({where})",
                         hint=("did you mean " + " or ".join(map(repr, near)) + "?") if near
                         else "list trials with `statusgraph cypher \"MATCH (t:Trial) RETURN t.name\"`")
    if p.type == "statement":
        # a whole id (as other queries print it) is a key look-up; a prefix scans every
        # statement (55 ms at 1M statements)
        if store.query("MATCH (s:Statement {id: $id}) RETURN s.id AS id", {"id": value}).rows:
            return value
        rows = store.query("MATCH (s:Statement) WHERE s.id STARTS WITH $p RETURN s.id AS id "
                           "ORDER BY id LIMIT 2", {"p": value}).rows
        if len(rows) == 1:
            return rows[0][0]
        if not rows:
            raise QueryError(f"no statement with id {value!r} ({where})",
                             hint="statement ids are in the `statement` column of other queries")
        raise QueryError(f"statement id prefix {value!r} is ambiguous ({where})",
                         hint="give more characters of the id")
    if p.type == "date":
        from graph.errors import SheetError
        from loaders.claimsheet import parse_date
        try:
            return parse_date(value, where).date.isoformat()
        except SheetError as e:
            raise QueryError(e.message, hint=e.hint) from None
    if p.type == "int":
        try:
            return int(value)
        except ValueError:
            raise QueryError(f"{where} must be a whole number, not {value!r}") from None
    return value


TRIALS = "MATCH (t:Trial) RETURN t.id AS id, t.name AS name"


def _find_trial(store: Store, value: str) -> str | None:
    from loaders.gazetteer import normalise_name

    want = normalise_name(value)
    for r in store.query(TRIALS).dicts():
        if want in (normalise_name(r["id"]), normalise_name(r["name"] or "")):
            return r["id"]
    return None


@dataclass(frozen=True)
class Page:
    """Rows ``offset + 1`` to ``offset + len(rows.rows)`` of a query's answer."""

    rows: Rows
    offset: int
    more: bool  # rows follow this page


def run_page(store: Store, name: str, params: dict[str, Any] | None = None, *,
             limit: int | None = None, offset: int = 0) -> Page:
    """One page of canned query ``name``: at most ``limit`` rows (None: all) after ``offset``.

    Asks for one row more than the page to learn whether more follow, so no count is run.
    """
    rows = run_canned(store, name, params, limit=None if limit is None else limit + 1,
                      offset=offset)
    more = limit is not None and len(rows.rows) > limit
    if more:
        rows = Rows(rows.columns, rows.rows[:limit])
    return Page(rows, offset, more)


def run_canned(store: Store, name: str, params: dict[str, Any] | None = None, *,
               limit: int | None = None, offset: int = 0) -> Rows:
    """Run canned query ``name`` with raw (textual) parameter values.

    ``limit`` and ``offset`` page the answer in the query itself (``$limit``, ``$skip``):
    rows ``offset + 1`` to ``offset + limit`` of the query's order; ``limit=None`` is all.
    """
    if offset < 0 or (limit is not None and limit < 0):
        raise QueryError("a page's offset and limit are whole numbers >= 0")
    q = get_query(name)
    params = dict(params or {})
    declared = {p.name: p for p in q.params}
    for k in params:
        if k not in declared:
            raise QueryError(f"query {name} has no parameter {k!r}",
                             hint="its parameters: " + (", ".join(declared) or "none"))
    cache: dict = {}
    values = {}
    for p in q.params:
        raw = params.get(p.name)
        if (raw is None or not str(raw).strip()) and p.required:
            raise QueryError(f"query {name} needs -p {p.name}=...",
                             hint=p.description or f"a {p.type}")
        values[p.name] = resolve_param(store, p, raw, cache)
    values.update(page_params(limit, offset))
    rows = run_resolved(store, q, values)
    return Rows(rows.columns, [[_tidy(v) for v in r] for r in rows.rows])


def run_resolved(store: Store, q: CannedQuery, values: dict[str, Any]) -> Rows:
    """Run ``q`` with resolved parameter values and the page's (``page_params``).

    Sends the scoped form when every optional parameter is given, and widens ``$anchors``
    while the page is short (see the module's docstring). A whole answer (``$limit`` is
    ``ALL_ROWS``) is refused past ``WHOLE_ANSWER_MAX_ROWS`` rows.
    """
    scoped = all(values[p.name] != "" for p in q.params if not p.required)
    text = q.text_for(store.backend, scoped=scoped)
    whole = values["limit"] >= ALL_ROWS
    through = values[PAGE_END_PARAM]
    first = ALL_ROWS if whole or not q.anchored else FIRST_ANCHORS if scoped else through
    anchors = first
    values = dict(values)
    wanted, dropped = values["limit"], 0
    if store.backend in SKIP_PAST_END_CRASHES and values["skip"]:
        # the engine is asked for the rows up to the page's end, and the runner drops
        # the ones before it (see SKIP_PAST_END_CRASHES)
        dropped, values["skip"], values["limit"] = values["skip"], 0, through
    while True:
        values[ANCHORS_PARAM] = anchors
        rows = store.query(text, values, max_rows=WHOLE_ANSWER_MAX_ROWS if whole else None)
        if dropped:
            rows = Rows(rows.columns, rows.rows[dropped:])
        if len(rows.rows) >= wanted or anchors >= ALL_ROWS:
            return rows
        # the page is short: 8 times as many anchors once, then every one (an anchor may
        # have no row, so only every anchor shows that the answer has ended)
        anchors = anchors * 8 if anchors == first else ALL_ROWS


def _tidy(v: Any) -> Any:
    # collect() order differs between backends: present lists sorted
    if isinstance(v, list):
        return sorted(v, key=lambda x: (x is None, str(x)))
    return v
