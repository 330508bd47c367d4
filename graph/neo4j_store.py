"""The Neo4j backend of the `Store` protocol, through the official `neo4j` driver.

Schema: a uniqueness constraint on ``id`` for every label of `graph.model` (that index is
what makes ``MERGE`` fast) plus the property indexes the canned queries filter on.
Writes: one managed write transaction per batch (`Session.execute_write`, which retries
transient errors), batched ``UNWIND $rows AS r MERGE … ON CREATE SET …``, then
`graph.intervals.recompute` in the same transaction. As in the embedded store, a node or
edge that already exists keeps its properties (the first write wins), so both backends
hold the same graph after the same imports. Reads: managed read transactions, routed to
readers in a cluster; one bookmark manager per store, so a read after a write sees that
write on any cluster member.

No Neo4j server can be installed where this was written: every text this module can send
is listed by `Neo4jStore.cypher_texts()` and checked by Neo4j's own front end in
``tests/graph/test_neo4j_lint.py``.

The password goes to the driver and nowhere else: not in an attribute, repr, message or log.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import os
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import neo4j
import neo4j.exceptions as nex
import neo4j.graph

from graph import intervals, revisions
from graph.errors import QueryError, StoreError, StoreUnavailable, TooManyRows
from graph.model import model
from graph.store import GraphBatch, Rows, WriteReport, normalise_value

# The driver logs routing failures at WARNING; without a handler Python's last-resort
# handler would print them on stderr next to our own one-line error.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

DEFAULT_BATCH_SIZE = 5000

PROBE = "RETURN 1 AS ok"

# Property indexes for the canned queries' filters (the id of every label is covered by its
# uniqueness constraint).
INDEXES: tuple[tuple[str, str], ...] = (
    ("Statement", "kind"),
    ("Statement", "status"),
    ("Statement", "stance"),
    ("Statement", "speaker"),
    ("Statement", "deployment"),
    ("Statement", "stated"),
    ("Statement", "valid_from"),
    ("Statement", "metric"),
    ("Source", "published"),
    ("Source", "url"),
    ("Force", "name"),
    ("Body", "name"),
    ("Person", "name"),
    ("Trial", "name"),
    ("Technology", "name"),
)

# ---------------------------------------------------------------------------------------
# Cypher texts (all generated from the model, so the linter can see every one)


def q(name: str) -> str:
    """A property name as Cypher text: backticked, because some of ours (``end``) are
    keywords to Ladybug's parser. Backticks mean the same on Neo4j."""
    return "`" + name.replace("`", "``") + "`"


def constraint_text(label: str) -> str:
    return (f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE")


def index_text(label: str, prop: str) -> str:
    return (f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS "
            f"FOR (n:{label}) ON (n.{q(prop)})")


def schema_texts() -> list[str]:
    m = model()
    out = [constraint_text(label) for label in m.nodes]
    out += [index_text(label, prop) for label, prop in INDEXES
            if label in m.nodes and prop in m.nodes[label].properties]
    return out


def node_existing_text(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id"


def node_merge_text(label: str) -> str:
    # Like the embedded store, a node that already exists is left as it is: the first
    # write of an id wins (in-force data is then recomputed by graph.intervals).
    props = [p for p in model().nodes[label].properties if p != "id"]
    sets = ", ".join(f"n.{q(p)} = r.{q(p)}" for p in props)
    text = f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}})"
    if sets:
        text += f" ON CREATE SET {sets}"
    return text + " RETURN count(n) AS written"


def rel_existing_text(rtype: str, from_label: str, to_label: str) -> str:
    return (f"UNWIND $rows AS r MATCH (a:{from_label} {{id: r.f}})-[:{rtype}]->"
            f"(b:{to_label} {{id: r.t}}) RETURN DISTINCT r.f AS f, r.t AS t")


def rel_merge_text(rtype: str, from_label: str, to_label: str) -> str:
    # An existing edge keeps its properties (REPORTED_IN.imported_at: when we first learned)
    sets = ", ".join(f"e.{q(p)} = r.{q(p)}" for p in model().rels[rtype].properties)
    text = (f"UNWIND $rows AS r MATCH (a:{from_label} {{id: r.f}}) "
            f"MATCH (b:{to_label} {{id: r.t}}) MERGE (a)-[e:{rtype}]->(b)")
    if sets:
        text += f" ON CREATE SET {sets}"
    return text + " RETURN count(e) AS written"


# ---------------------------------------------------------------------------------------
# Values


def _naive_utc(v: dt.datetime) -> dt.datetime:
    if v.tzinfo is not None:
        return v.astimezone(dt.UTC).replace(tzinfo=None)
    return v


def to_param(v: Any) -> Any:
    """A Python value as the driver should send it: dates as Dates, timestamps naive UTC."""
    if isinstance(v, dt.datetime):
        return _naive_utc(v)
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v) if isinstance(v, (set, frozenset)) else v
        return [to_param(x) for x in items]
    if isinstance(v, Mapping):
        return {str(k): to_param(x) for k, x in v.items()}
    return v


def coerce(v: Any, typ: str, where: str) -> Any:
    """A batch value converted to its model type, so both backends store the same thing."""
    if v is None:
        return None
    try:
        if typ == "DATE":
            if isinstance(v, dt.datetime):
                return v.date()
            if isinstance(v, str):
                return dt.date.fromisoformat(v)
            return v
        if typ == "TIMESTAMP":
            if isinstance(v, str):
                v = dt.datetime.fromisoformat(v)
            if isinstance(v, dt.datetime):
                return _naive_utc(v)
            if isinstance(v, dt.date):
                return dt.datetime(v.year, v.month, v.day)
            return v
        if typ == "DOUBLE":
            return float(v) if not isinstance(v, bool) else v
        if typ == "INT64":
            if isinstance(v, (decimal.Decimal, float)) and v == int(v):
                return int(v)
            return v
        if typ == "STRING[]":
            return [str(x) for x in v] if isinstance(v, (list, tuple)) else v
    except (TypeError, ValueError) as e:
        raise StoreError(f"{where}: {v!r} is not a valid {typ}",
                         hint="fix the value in the claim sheet") from e
    return v


def from_neo4j(v: Any) -> Any:
    """A driver value as plain Python (nodes and relationships become property dicts)."""
    if isinstance(v, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {k: from_neo4j(x) for k, x in v.items()}
    if isinstance(v, neo4j.graph.Path):
        return {"nodes": [from_neo4j(n) for n in v.nodes],
                "rels": [from_neo4j(r) for r in v.relationships]}
    if isinstance(v, list):
        return [from_neo4j(x) for x in v]
    if isinstance(v, dict):
        return {k: from_neo4j(x) for k, x in v.items()}
    return normalise_value(v)


def strip_statement(text: str) -> str:
    """One statement as the driver wants it: no trailing ``;`` (comments are fine)."""
    t = text.strip()
    while t.endswith(";"):
        t = t[:-1].rstrip()
    return t


def redact_uri(uri: str) -> str:
    """The URI without any user:password@ part, for messages and repr."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


# ---------------------------------------------------------------------------------------


class Neo4jStore:
    """A statusgraph graph in a Neo4j 5 database (server, cluster or Aura)."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str | None = "neo4j", password: str | None = None,
                 database: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 create_schema: bool = True, **driver_config: Any):
        if not uri:
            raise StoreError("no Neo4j URI given",
                             hint="set NEO4J_URI or pass --neo4j-uri (neo4j://host:7687)")
        self.uri = redact_uri(uri)
        if self.uri == "<invalid URI>":
            raise StoreError("the Neo4j URI is not a valid URI",
                             hint="check NEO4J_URI (neo4j://host:7687)")
        if self.uri != uri:
            raise StoreError(f"the Neo4j URI {self.uri} must not carry a user or password",
                             hint="give them as NEO4J_USERNAME and NEO4J_PASSWORD")
        self.user = user
        self.database = database or None
        self.batch_size = int(batch_size)
        if self.batch_size < 1:
            raise StoreError(f"batch size must be at least 1, not {batch_size}")
        auth = (user or "neo4j", password) if password is not None else None
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth, **driver_config)
        except Exception as e:  # ConfigurationError, ValueError, ImportError for http://
            detail = _one_line(str(e).replace(uri, self.uri))
            if password:
                detail = detail.replace(password, "***")
            raise StoreError(f"cannot use Neo4j URI {self.uri}: {detail}",
                             hint="check NEO4J_URI (neo4j://host:7687, neo4j+s://… for Aura, "
                                  "bolt://host:7687 for one server)") from None
        del auth, password
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
        try:
            self._open()
            if create_schema:
                self.ensure_schema()
        except BaseException:
            self._driver.close()
            raise

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> Neo4jStore:
        """A store configured by NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE."""
        env = os.environ if environ is None else environ
        uri = env.get("NEO4J_URI")
        if not uri:
            raise StoreError("NEO4J_URI is not set",
                             hint="set NEO4J_URI (e.g. neo4j://localhost:7687) or pass "
                                  "--neo4j-uri")
        return cls(uri, env.get("NEO4J_USERNAME") or "neo4j", env.get("NEO4J_PASSWORD"),
                   env.get("NEO4J_DATABASE") or None, **kwargs)

    def __repr__(self) -> str:
        db = f", database={self.database!r}" if self.database else ""
        return f"Neo4jStore(uri={self.uri!r}, user={self.user!r}{db})"

    __str__ = __repr__

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._driver.close()

    # -- connection and errors -----------------------------------------------------------

    def _where(self) -> str:
        return f"{self.uri} (database {self.database})" if self.database else self.uri

    def _unavailable(self, e: Exception) -> StoreError | None:
        """Our error for a driver error that means the store cannot be used, else None."""
        code = getattr(e, "code", None) or ""
        if isinstance(e, nex.AuthError) or code.startswith("Neo.ClientError.Security.Unauthorized"):
            return StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials of user {self.user!r}",
                hint="check NEO4J_USERNAME and NEO4J_PASSWORD")
        if code.endswith("DatabaseNotFound"):
            return StoreUnavailable(
                f"Neo4j at {self.uri} has no database {self.database or '(default)'!r}",
                hint="check NEO4J_DATABASE, or create the database (CREATE DATABASE needs "
                     "Enterprise or Aura)")
        if isinstance(e, nex.DatabaseUnavailable) or code.endswith("DatabaseUnavailable"):
            return StoreUnavailable(
                f"the database {self.database or '(default)'!r} at {self.uri} is unavailable",
                hint="check that it is started (SHOW DATABASES)")
        if isinstance(e, (nex.ServiceUnavailable, nex.SessionExpired)):
            detail = _one_line(e)
            return StoreUnavailable(
                f"cannot reach Neo4j at {self.uri}: {detail}",
                hint="check NEO4J_URI and that the server is running and reachable")
        if isinstance(e, nex.ConfigurationError):
            return StoreUnavailable(
                f"cannot connect to Neo4j at {self.uri}: {_one_line(e)}",
                hint="check NEO4J_URI (scheme neo4j://, neo4j+s://, bolt://)")
        return None

    def _open(self) -> None:
        try:
            self._driver.verify_connectivity()
            with self._session(neo4j.READ_ACCESS) as s:
                s.run(PROBE).consume()      # auto-commit: fails at once, no retries
        except nex.DriverError as e:
            raise (self._unavailable(e) or StoreUnavailable(
                f"cannot use Neo4j at {self._where()}: {_one_line(e)}",
                hint="check NEO4J_URI")) from None
        except nex.Neo4jError as e:
            raise (self._unavailable(e) or StoreUnavailable(
                f"cannot use Neo4j at {self._where()}: {_one_line(e.message or e)}",
                hint="check NEO4J_URI, NEO4J_USERNAME and NEO4J_DATABASE")) from None

    def _session(self, mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=mode,
                                    bookmark_manager=self._bookmarks)

    def _managed(self, mode: str, work: Callable[[neo4j.ManagedTransaction], Any],
                 what: str) -> Any:
        try:
            with self._session(mode) as s:
                if mode == neo4j.READ_ACCESS:
                    return s.execute_read(work)
                return s.execute_write(work)
        except (StoreError, QueryError):
            raise
        except nex.Forbidden as e:
            raise StoreError(f"Neo4j refused {what}: {_one_line(e.message or e)}",
                             hint=f"check the privileges of user {self.user!r}") from None
        except (nex.DriverError, nex.Neo4jError) as e:
            err = self._unavailable(e)
            if err is not None:
                raise err from None
            if isinstance(e, nex.Neo4jError):
                code = e.code or ""
                if code.endswith(("Statement.AccessMode", "Cluster.NotALeader")):
                    raise QueryError(f"refused: {_one_line(e.message or e)}",
                                     hint="pass --write to change the graph") from None
                raise QueryError(f"Neo4j rejected {what}: {_one_line(e.message or e)}",
                                 hint="check the Cypher text against the schema "
                                      "(statusgraph cypher --help)") from None
            raise StoreError(f"Neo4j driver error during {what}: {_one_line(e)}") from None

    # -- schema --------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the id constraints and the query indexes (idempotent)."""
        for text in schema_texts():
            self._managed(neo4j.WRITE_ACCESS, lambda tx, t=text: tx.run(t).consume(),
                          "a schema statement")

    @classmethod
    def cypher_texts(cls) -> list[tuple[str, str]]:
        """Every Cypher text this backend can send, as (name, text); no server needed.

        Texts given to `query` are the caller's (the canned queries); `recompute` sends
        `graph.intervals.texts()`.
        """
        m = model()
        out = [("probe", PROBE)]
        out += [(f"schema {i}", t) for i, t in enumerate(schema_texts())]
        for label in m.nodes:
            out.append((f"node existing {label}", node_existing_text(label)))
            out.append((f"node merge {label}", node_merge_text(label)))
        for rtype, rel in m.rels.items():
            for f, t in rel.pairs:
                out.append((f"rel existing {rtype} {f}->{t}", rel_existing_text(rtype, f, t)))
                out.append((f"rel merge {rtype} {f}->{t}", rel_merge_text(rtype, f, t)))
        return out

    # -- writes --------------------------------------------------------------------------

    def _node_rows(self, label: str, rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        m = model()
        if label not in m.nodes:
            raise StoreError(f"unknown node label {label}", hint="see graph/schema.yaml")
        props = m.nodes[label].properties
        out = []
        for nid, row in sorted(rows.items()):
            unknown = set(row) - set(props)
            if unknown:
                raise StoreError(f"{label} has no property {sorted(unknown)[0]}",
                                 hint="see graph/schema.yaml")
            full = {p: coerce(row.get(p), typ, f"{label} {nid} {p}") for p, typ in props.items()}
            full["id"] = nid
            out.append(full)
        return out

    def _rel_rows(self, key: tuple[str, str, str],
                  pairs: dict[tuple[str, str], dict[str, Any]]) -> list[dict[str, Any]]:
        rtype, f, t = key
        m = model()
        if rtype not in m.rels or (f, t) not in m.rels[rtype].pairs:
            raise StoreError(f"relationship ({f})-[:{rtype}]->({t}) is not in the schema",
                             hint="see graph/schema.yaml")
        props = m.rels[rtype].properties
        out = []
        for (a, b), row in sorted(pairs.items()):
            unknown = set(row) - set(props)
            if unknown:
                raise StoreError(f"{rtype} has no property {sorted(unknown)[0]}",
                                 hint="see graph/schema.yaml")
            full = {p: coerce(row.get(p), typ, f"{rtype} {a}->{b} {p}")
                    for p, typ in props.items()}
            full["f"], full["t"] = a, b
            out.append(full)
        return out

    def write(self, batch: GraphBatch) -> WriteReport:
        """Write one batch and recompute in-force data, in one managed transaction."""
        m = model()
        labels = [label for label in m.nodes if batch.nodes.get(label)]
        labels += sorted(set(batch.nodes) - set(m.nodes))   # unknown: _node_rows says so
        node_rows = {label: self._node_rows(label, batch.nodes[label])
                     for label in labels if batch.nodes[label]}
        order = {r: i for i, r in enumerate(m.rels)}
        rel_keys = sorted((k for k, v in batch.rels.items() if v),
                          key=lambda k: (order.get(k[0], len(order)), k))
        rel_rows = {k: self._rel_rows(k, batch.rels[k]) for k in rel_keys}
        size = self.batch_size

        def work(tx: neo4j.ManagedTransaction) -> WriteReport:
            # runs again from the start if the driver retries a transient error
            report = WriteReport(Counter(), Counter(), Counter(), Counter())
            run = lambda text, params: self._run(tx, text, params)  # noqa: E731
            before = revisions.stored_hashes(run, batch)
            for label, rows in node_rows.items():
                existing = 0
                for chunk in _chunks(rows, size):
                    ids = [r["id"] for r in chunk]
                    have = tx.run(node_existing_text(label), ids=ids).value("id")
                    existing += len(set(have))
                    tx.run(node_merge_text(label), rows=to_param(chunk)).consume()
                report.nodes_existing[label] += existing
                report.nodes_added[label] += len(rows) - existing
            for key, rows in rel_rows.items():
                rtype, f, t = key
                existing = 0
                for chunk in _chunks(rows, size):
                    params = to_param([{"f": r["f"], "t": r["t"]} for r in chunk])
                    have = {(r["f"], r["t"]) for r in tx.run(
                        rel_existing_text(rtype, f, t), rows=params)}
                    written = tx.run(rel_merge_text(rtype, f, t),
                                     rows=to_param(chunk)).single(strict=True)["written"]
                    if written != len(chunk):
                        missing = self._missing_endpoint(tx, key, chunk)
                        raise StoreError(
                            f"({f})-[:{rtype}]->({t}): {len(chunk) - written} relationship(s) "
                            f"name a node that does not exist, e.g. {missing}",
                            hint="the batch must hold both endpoints or they must already "
                                 "be in the graph")
                    existing += len(have)
                report.rels_existing[rtype] += existing
                report.rels_added[rtype] += len(rows) - existing
            revisions.revise_sources(run, batch, before, report)
            intervals.recompute(run, batch)
            return report

        return self._managed(neo4j.WRITE_ACCESS, work, "the write")

    @staticmethod
    def _missing_endpoint(tx: neo4j.ManagedTransaction, key: tuple[str, str, str],
                          chunk: list[dict[str, Any]]) -> str:
        _, f, t = key
        for label, field in ((f, "f"), (t, "t")):
            ids = sorted({r[field] for r in chunk})
            have = set(tx.run(node_existing_text(label), ids=ids).value("id"))
            gone = [i for i in ids if i not in have]
            if gone:
                return f"{label} {gone[0]!r}"
        return "an endpoint"

    # -- reads ---------------------------------------------------------------------------

    @staticmethod
    def _run(tx: neo4j.ManagedTransaction, text: str, params: Mapping[str, Any] | None,
             max_rows: int | None = None) -> Rows:
        result = tx.run(strip_statement(text), to_param(dict(params or {})))
        columns = list(result.keys())
        rows = []
        for record in result:
            if len(rows) == max_rows:
                raise TooManyRows(max_rows)
            rows.append([from_neo4j(v) for v in record.values()])
        return Rows(columns, rows)

    def query(self, text: str, params: Mapping[str, Any] | None = None, *,
              write: bool = False, max_rows: int | None = None) -> Rows:
        """Run one Cypher statement in a managed read (or, with ``write``, write) transaction.

        ``labels(n)`` comes back as a list; the caller normalises it.
        """
        body = strip_statement(text)
        if not body:
            raise QueryError("empty Cypher text")
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self._managed(mode, lambda tx: self._run(tx, body, params, max_rows), "the query")


__all__ = ["Neo4jStore", "schema_texts", "node_merge_text", "rel_merge_text", "to_param",
           "coerce", "strip_statement", "redact_uri", "INDEXES"]
