"""The Neo4j store.

Unit tests (no server): the password stays secret, errors map to exit 3 with one line,
values are converted both ways, and `write` counts, batches and retries correctly against
a fake driver. Integration tests run against a real server when NEO4J_URI is set
(NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE too) and are skipped otherwise. They
write only ids starting with a per-run prefix and delete them afterwards.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import uuid
from typing import Any

import neo4j
import neo4j.exceptions as nex
import pytest

from graph import intervals, neo4j_store
from graph.errors import QueryError, StoreError, StoreUnavailable
from graph.model import model
from graph.neo4j_store import Neo4jStore, coerce, from_neo4j, redact_uri, to_param
from graph.store import GraphBatch

SECRET = "pw-Zq7-never-print-me"

# ---------------------------------------------------------------------------------------
# No server: secrets and errors


@pytest.mark.parametrize("uri", ["neo4j://127.0.0.1:1", "bolt://127.0.0.1:1"])
def test_unreachable_server_is_exit_3_without_password(uri):
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore(uri, "neo4j", SECRET)
    err = info.value
    text = str(err)
    assert err.exit_code == 3
    assert "\n" not in text
    assert SECRET not in text and SECRET not in repr(err)
    assert "127.0.0.1:1" in text and "NEO4J_URI" in text
    assert err.__cause__ is None and err.__suppress_context__


def test_from_env_unreachable(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_USERNAME", "someone")
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore.from_env()
    assert SECRET not in str(info.value)


def test_from_env_needs_uri():
    with pytest.raises(StoreError) as info:
        Neo4jStore.from_env({"NEO4J_PASSWORD": SECRET})
    assert info.value.exit_code == 2
    assert "NEO4J_URI" in str(info.value) and SECRET not in str(info.value)


def test_bad_uri_is_a_user_error():
    with pytest.raises(StoreError) as info:
        Neo4jStore("ftp://example.invalid", "neo4j", SECRET)
    assert "NEO4J_URI" in str(info.value) and SECRET not in str(info.value)


@pytest.mark.parametrize("uri", ["neo4j://bob:%s@127.0.0.1:1", "bolt://bob:%s@127.0.0.1:1"])
def test_uri_with_password_is_refused_without_echoing_it(uri):
    with pytest.raises(StoreError) as info:
        Neo4jStore(uri % SECRET, "bob", "other")
    assert "NEO4J_PASSWORD" in str(info.value) and SECRET not in str(info.value)


def test_redact_uri():
    assert redact_uri("neo4j://bob:pw@db.example:7687/x") == "neo4j://db.example:7687/x"
    assert redact_uri("neo4j+s://abc.databases.neo4j.io") == "neo4j+s://abc.databases.neo4j.io"


# A fake driver: enough of the session/transaction API for Neo4jStore, no network.


class FakeResult:
    def __init__(self, columns: list[str], rows: list[list[Any]]):
        self._columns, self._rows = columns, rows

    def keys(self):
        return self._columns

    def __iter__(self):
        return iter(neo4j.Record(zip(self._columns, r, strict=True)) for r in self._rows)

    def value(self, key):
        i = self._columns.index(key)
        return [r[i] for r in self._rows]

    def single(self, strict=False):
        assert len(self._rows) == 1
        return neo4j.Record(zip(self._columns, self._rows[0], strict=True))

    def consume(self):
        return None


class FakeTx:
    """Answers the store's texts from a dict of existing node ids per label."""

    def __init__(self, driver: FakeDriver):
        self.driver = driver

    def run(self, text, parameters=None, **kw):
        params = dict(parameters or {}, **kw)
        self.driver.log.append((text, params))
        existing = self.driver.existing
        if text.startswith("UNWIND $ids AS i MATCH (n:"):
            label = text.split("(n:")[1].split(" ")[0]
            return FakeResult(["id"], [[i] for i in params["ids"] if i in existing.get(label, ())])
        if "MERGE (a)-[e:" in text:
            ok = [r for r in params["rows"] if r["f"] not in self.driver.missing
                  and r["t"] not in self.driver.missing]
            return FakeResult(["written"], [[len(ok)]])
        if "RETURN DISTINCT r.f AS f, r.t AS t" in text:
            return FakeResult(["f", "t"], [])
        if text.startswith("UNWIND $rows AS r MERGE (n:"):
            return FakeResult(["written"], [[len(params["rows"])]])
        if self.driver.answer is not None:
            return self.driver.answer(text, params)
        return FakeResult([], [])


class FakeSession:
    def __init__(self, driver, config):
        self.driver, self.config = driver, config

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, text, parameters=None, **kw):
        if self.driver.session_error is not None:
            raise self.driver.session_error
        return FakeTx(self.driver).run(text, parameters, **kw)

    def execute_read(self, work):
        self.driver.modes.append("read")
        return work(FakeTx(self.driver))

    def execute_write(self, work):
        self.driver.modes.append("write")
        result = None
        for _ in range(self.driver.attempts):  # a retried transaction runs work again
            result = work(FakeTx(self.driver))
        return result


class FakeDriver:
    def __init__(self, uri, auth=None, **config):
        self.uri, self.auth, self.config = uri, auth, config
        self.log: list[tuple[str, dict]] = []
        self.modes: list[str] = []
        self.existing: dict[str, set] = {}
        self.missing: set = set()
        self.attempts = 1
        self.answer = None
        self.connect_error: Exception | None = None
        self.session_error: Exception | None = None
        self.closed = False

    def verify_connectivity(self):
        if self.connect_error is not None:
            raise self.connect_error

    def session(self, **config):
        return FakeSession(self, config)

    def close(self):
        self.closed = True


@pytest.fixture
def fake(monkeypatch):
    made: list[FakeDriver] = []
    errors: dict[str, Exception] = {}

    def driver(uri, auth=None, **config):
        d = FakeDriver(uri, auth, **config)
        d.connect_error = errors.get("connect")
        d.session_error = errors.get("session")
        made.append(d)
        return d

    monkeypatch.setattr(neo4j_store.neo4j.GraphDatabase, "driver", driver)
    return made, errors


def test_password_not_in_repr_or_str(fake):
    made, _ = fake
    store = Neo4jStore("neo4j://db.example:7687", "alice", SECRET, "news")
    for text in (repr(store), str(store), repr(vars(store))):
        assert SECRET not in text
    assert "db.example:7687" in repr(store) and "news" in repr(store)
    assert made[0].auth == ("alice", SECRET)  # it went to the driver, and only there
    store.close()
    assert made[0].closed


def test_open_creates_constraints_and_indexes(fake):
    made, _ = fake
    store = Neo4jStore("neo4j://db.example", "neo4j", SECRET)
    texts = [t for t, _ in made[0].log]
    assert texts[0] == neo4j_store.PROBE
    for label in model().nodes:
        assert (f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) "
                f"REQUIRE n.id IS UNIQUE") in texts
    assert "CREATE INDEX statement_kind IF NOT EXISTS FOR (n:Statement) ON (n.`kind`)" in texts
    store.close()


@pytest.mark.parametrize("which,error,expected", [
    ("connect", nex.Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Security.Unauthorized",
        message="The client is unauthorized due to authentication failure."),
     "NEO4J_PASSWORD"),
    ("session", nex.Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Database.DatabaseNotFound",
        message="Database does not exist. Database name: 'nope'."),
     "NEO4J_DATABASE"),
    ("connect", nex.ServiceUnavailable("Unable to retrieve routing information"),
     "NEO4J_URI"),
])
def test_open_errors_are_exit_3_one_line(fake, which, error, expected):
    made, errors = fake
    errors[which] = error
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore("neo4j://db.example", "neo4j", SECRET, "nope")
    text = str(info.value)
    assert info.value.exit_code == 3 and "\n" not in text
    assert expected in text and SECRET not in text
    assert made[0].closed


def _batch(prefix: str = "") -> GraphBatch:
    b = GraphBatch()
    b.add_node("Force", {"id": f"{prefix}kent", "name": "Kent Police", "aliases": ("Kent",)})
    b.add_node("Body", {"id": f"{prefix}ho", "name": "Home Office", "aliases": []})
    b.add_node("Statement", {"id": f"{prefix}st1", "kind": "status", "status": "committed",
                             "stance": "active", "speaker": f"{prefix}ho",
                             "deployment": f"{prefix}fr", "stated": dt.date(2019, 6, 1),
                             "value": 3, "quote": False, "evidence": "collaborating"})
    b.add_rel("MADE", "Body", f"{prefix}ho", "Statement", f"{prefix}st1")
    b.add_rel("ABOUT", "Statement", f"{prefix}st1", "Force", f"{prefix}kent")
    b.statements.add(f"{prefix}st1")
    b.keys.add(("Force", f"{prefix}kent", f"{prefix}fr"))
    return b


def test_write_counts_and_survives_a_retry(fake):
    made, _ = fake
    store = Neo4jStore("neo4j://db.example", "neo4j", SECRET, batch_size=1)
    d = made[0]
    d.log.clear()
    d.attempts = 2          # execute_write runs the unit of work twice
    d.existing = {"Force": {"kent"}}
    report = store.write(_batch())
    assert d.modes[-1] == "write"
    # counted once although the work ran twice
    assert +report.nodes_added == {"Body": 1, "Statement": 1}
    assert +report.nodes_existing == {"Force": 1}
    assert +report.rels_added == {"MADE": 1, "ABOUT": 1}
    assert report.added == 4
    merges = [p for t, p in d.log if t.startswith("UNWIND $rows AS r MERGE (n:Statement")]
    row = merges[0]["rows"][0]
    assert set(row) == set(model().nodes["Statement"].properties)  # every row, every key
    assert row["value"] == 3.0 and isinstance(row["value"], float)
    assert row["stated"] == dt.date(2019, 6, 1)
    # in-force recompute ran in the same transaction
    assert any(t == intervals.VALID_FROM.strip() for t, _ in d.log)
    store.close()


def test_write_refuses_edges_to_missing_nodes(fake):
    made, _ = fake
    store = Neo4jStore("neo4j://db.example", "neo4j", SECRET)
    made[0].missing = {"ghost"}
    b = GraphBatch()
    b.add_rel("MADE", "Body", "ghost", "Statement", "st1")
    with pytest.raises(StoreError, match="does not exist"):
        store.write(b)
    store.close()


def test_write_refuses_unknown_schema(fake):
    store = Neo4jStore("neo4j://db.example", "neo4j", SECRET)
    b = GraphBatch()
    b.add_node("Force", {"id": "x", "nickname": "y"})
    with pytest.raises(StoreError, match="nickname"):
        store.write(b)
    b = GraphBatch()
    b.add_rel("MADE", "Statement", "a", "Force", "b")
    with pytest.raises(StoreError, match="not in the schema"):
        store.write(b)
    store.close()


def test_query_reads_in_read_transactions(fake):
    made, _ = fake
    store = Neo4jStore("neo4j://db.example", "neo4j", SECRET)
    d = made[0]
    d.answer = lambda text, params: FakeResult(["kind", "n"], [[["Force"], 2]])
    rows = store.query("MATCH (n) RETURN labels(n) AS kind, count(*) AS n;\n", {"x": 1})
    assert d.modes[-1] == "read"
    assert d.log[-1][0].endswith("count(*) AS n")        # trailing ; stripped
    assert rows.columns == ["kind", "n"] and rows.rows == [[["Force"], 2]]
    store.query("MATCH (n:Force) SET n.kind = 'x'", write=True)
    assert d.modes[-1] == "write"
    with pytest.raises(QueryError):
        store.query("  ;  ")
    store.close()


def test_query_errors_are_query_errors(fake):
    made, _ = fake
    store = Neo4jStore("neo4j://db.example", "neo4j", SECRET)

    def boom(text, params):
        raise nex.Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError",
                                            message="Invalid input 'X'\n  at line 1")
    made[0].answer = boom
    with pytest.raises(QueryError) as info:
        store.query("X")
    assert "Invalid input" in str(info.value) and "\n" not in str(info.value)
    store.close()


# Values


def test_params_dates_and_timestamps():
    tz = dt.timezone(dt.timedelta(hours=2))
    p = to_param({"d": dt.date(2019, 8, 8), "t": dt.datetime(2019, 8, 8, 12, tzinfo=tz),
                  "n": dt.datetime(2019, 8, 8, 12), "x": decimal.Decimal("6"),
                  "l": (1, 2), "s": {"b", "a"}})
    assert p["d"] == dt.date(2019, 8, 8) and type(p["d"]) is dt.date
    assert p["t"] == dt.datetime(2019, 8, 8, 10) and p["t"].tzinfo is None
    assert p["n"] == dt.datetime(2019, 8, 8, 12)
    assert p["x"] == 6 and isinstance(p["x"], int)
    assert p["l"] == [1, 2] and p["s"] == ["a", "b"]


def test_coerce_to_model_types():
    assert coerce("2019-06-01", "DATE", "w") == dt.date(2019, 6, 1)
    assert coerce(dt.datetime(2019, 6, 1, 5), "DATE", "w") == dt.date(2019, 6, 1)
    assert coerce(dt.date(2019, 6, 1), "TIMESTAMP", "w") == dt.datetime(2019, 6, 1)
    assert coerce(2, "DOUBLE", "w") == 2.0 and isinstance(coerce(2, "DOUBLE", "w"), float)
    assert coerce(("a",), "STRING[]", "w") == ["a"]
    assert coerce(None, "DATE", "w") is None
    with pytest.raises(StoreError):
        coerce("June", "DATE", "Statement x stated")


def test_results_become_plain_python():
    from neo4j._codec.hydration.bolt.v2.hydration_handler import HydrationHandler
    from neo4j._codec.packstream import Structure

    scope = HydrationHandler().new_hydration_scope()
    hydrate = scope.hydration_hooks[Structure]
    node = hydrate(Structure(b"N", 1, ["Force"], {"id": "k", "founded": neo4j.time.Date(
        1857, 1, 1)}, "4:x:1"))
    assert from_neo4j(node) == {"id": "k", "founded": dt.date(1857, 1, 1)}
    assert from_neo4j(["Force"]) == ["Force"]                 # labels(n) stays a list
    assert from_neo4j(neo4j.time.DateTime(2026, 1, 1, 12)) == dt.datetime(2026, 1, 1, 12)


# ---------------------------------------------------------------------------------------
# A real server (NEO4J_URI)

needs_server = pytest.mark.skipif(not os.environ.get("NEO4J_URI"),
                                  reason="NEO4J_URI not set: Neo4j integration tests skipped")


@pytest.fixture
def server():
    store = Neo4jStore.from_env()
    prefix = f"sgtest-{uuid.uuid4().hex[:8]}-"
    try:
        yield store, prefix
    finally:
        store.query("MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n", {"p": prefix},
                    write=True)
        store.close()


def sample(prefix: str) -> GraphBatch:
    """Home Office: Kent committed (June), then planned (September); Kent (FOI, no date,
    published 5 August): not using it. Both Home Office claims contradict Kent's."""
    P = prefix
    b = GraphBatch()
    b.add_node("Force", {"id": P + "kent", "name": P + "Kent Police", "aliases": ["Kent"],
                         "kind": "territorial", "nation": "england"})
    b.add_node("Body", {"id": P + "ho", "name": P + "Home Office", "aliases": [],
                        "kind": "government", "nation": "uk"})
    b.add_node("Technology", {"id": P + "fr", "name": P + "facial recognition",
                              "aliases": []})
    b.add_node("Source", {"id": P + "src-press", "title": "Pilot announced",
                          "published": dt.date(2019, 6, 2), "kind": "press_release"})
    b.add_node("Source", {"id": P + "src-foi", "title": "FOI response",
                          "published": dt.date(2019, 8, 5), "kind": "foi_response"})
    claims = [("st1", "ho", "committed", "active", dt.date(2019, 6, 1), "src-press"),
              ("st2", "kent", "not_using", "inactive", None, "src-foi"),
              ("st3", "ho", "planned", "active", dt.date(2019, 9, 1), "src-press")]
    for sid, speaker, status, stance, stated, src in claims:
        b.add_node("Statement", {"id": P + sid, "kind": "status", "status": status,
                                 "stance": stance, "speaker": P + speaker,
                                 "deployment": P + "fr", "stated": stated, "quote": False,
                                 "evidence": f"{status} evidence", "method": "manual"})
        label = "Body" if speaker == "ho" else "Force"
        b.add_rel("MADE", label, P + speaker, "Statement", P + sid)
        b.add_rel("ABOUT", "Statement", P + sid, "Force", P + "kent")
        b.add_rel("CONCERNS", "Statement", P + sid, "Technology", P + "fr")
        b.add_rel("REPORTED_IN", "Statement", P + sid, "Source", P + src,
                  {"start": 0, "end": 10, "imported_at": dt.datetime(2026, 12, 1, 9)})
        b.statements.add(P + sid)
    b.keys.add(("Force", P + "kent", P + "fr"))
    return b


@needs_server
@pytest.mark.neo4j
def test_write_twice_adds_nothing(server):
    store, P = server
    first = store.write(sample(P))
    assert first.nodes_added["Statement"] == 3 and first.rels_added["REPORTED_IN"] == 3
    second = store.write(sample(P))
    assert second.added == 0
    assert second.nodes_existing["Statement"] == 3 and second.rels_existing["ABOUT"] == 3
    n = store.query("MATCH (n) WHERE n.id STARTS WITH $p RETURN count(n) AS n", {"p": P})
    assert n.rows == [[8]]


@needs_server
@pytest.mark.neo4j
def test_recompute_in_force_intervals(server):
    store, P = server
    store.write(sample(P))
    rows = store.query(
        "MATCH (s:Statement)-[a:ABOUT]->(x:Force {id: $k}) "
        "RETURN s.id AS id, s.valid_from AS vf, s.valid_to AS vt, "
        "a.valid_from AS avf, a.valid_to AS avt ORDER BY id", {"k": P + "kent"}).dicts()
    got = {r["id"][len(P):]: (r["vf"], r["vt"], r["avf"], r["avt"]) for r in rows}
    june, aug, sep = dt.date(2019, 6, 1), dt.date(2019, 8, 5), dt.date(2019, 9, 1)
    assert got == {"st1": (june, sep, june, sep), "st2": (aug, None, aug, None),
                   "st3": (sep, None, sep, None)}


@needs_server
@pytest.mark.neo4j
def test_values_round_trip(server):
    store, P = server
    store.write(sample(P))
    [row] = store.query(
        "MATCH (s:Statement {id: $id})-[r:REPORTED_IN]->(src:Source) "
        "RETURN s.stated AS stated, s.quote AS quote, r.`end` AS e, r.imported_at AS at, "
        "src.published AS published, labels(s) AS kind", {"id": P + "st1"}).rows
    assert row == [dt.date(2019, 6, 1), False, 10, dt.datetime(2026, 12, 1, 9),
                   dt.date(2019, 6, 2), ["Statement"]]
    # a datetime.date parameter compares as a Date
    n = store.query("MATCH (s:Statement) WHERE s.id STARTS WITH $p AND s.stated >= $d "
                    "RETURN count(s) AS n", {"p": P, "d": dt.date(2019, 7, 1)})
    assert n.rows == [[1]]


@needs_server
@pytest.mark.neo4j
def test_canned_queries_run(server):
    from queries import run_canned

    store, P = server
    store.write(sample(P))
    rows = run_canned(store, "contradictions", {"subject": P + "kent"}).dicts()
    pairs = {(r["claim_id"][len(P):], r["counter_id"][len(P):]) for r in rows}
    assert pairs == {("st1", "st2"), ("st3", "st2")}
    status = run_canned(store, "status", {"subject": P + "kent"}).dicts()
    assert len(status) == 3
    prov = run_canned(store, "provenance", {"statement": P + "st1"}).dicts()
    assert [r["source_id"] for r in prov] == [P + "src-press"]


@needs_server
@pytest.mark.neo4j
def test_canned_queries_agree_with_embedded(server, tmp_path):
    """Every canned query gives the same rows on both backends for the same graph."""
    from graph.embedded import EmbeddedStore
    from queries import canned_queries, run_canned

    store, P = server
    emb = EmbeddedStore(tmp_path / "same.db")
    try:
        emb.write(sample(P))
        store.write(sample(P))
        values = {"entity": P + "kent", "statement": P + "st1", "date": "2019-08-15",
                  "trial": None, "technology": None, "text": None, "int": None}
        for name, cq in canned_queries().items():
            params = {p.name: values[p.type] for p in cq.params
                      if values.get(p.type) is not None}
            if any(p.required and p.name not in params for p in cq.params):
                continue
            if "subject" in {p.name for p in cq.params}:
                params["subject"] = P + "kent"
            a = run_canned(emb, name, params)
            b = run_canned(store, name, params)
            assert a.columns == b.columns, name
            assert _norm(a.rows) == _norm(b.rows), name
    finally:
        emb.close()


def _norm(rows):
    def one(v):
        if isinstance(v, str):
            return v
        if isinstance(v, list):
            # labels(n): a string on Ladybug, a list on Neo4j; collect() order differs
            return sorted(map(str, v))
        return v
    return [[one(v) for v in r] for r in rows]


@needs_server
@pytest.mark.neo4j
def test_push_is_idempotent(server, tmp_path):
    from graph.embedded import EmbeddedStore
    from graph.transfer import copy_graph

    store, P = server
    emb = EmbeddedStore(tmp_path / "push.db")
    try:
        emb.write(sample(P))
        seen = []
        first = copy_graph(emb, store, batch_size=2, progress=lambda d, t: seen.append((d, t)))
        assert first.nodes_added["Statement"] == 3 and first.rels_added["MADE"] == 3
        assert seen[-1][0] == seen[-1][1]
        assert copy_graph(emb, store).added == 0
        [row] = store.query("MATCH (s:Statement {id: $id}) RETURN s.valid_to AS vt",
                            {"id": P + "st1"}).rows
        assert row == [dt.date(2019, 9, 1)]       # in-force data copied as stored
    finally:
        emb.close()


@needs_server
@pytest.mark.neo4j
def test_bad_password_and_missing_database():
    env = dict(os.environ)
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore(env["NEO4J_URI"], env.get("NEO4J_USERNAME") or "neo4j", SECRET,
                   env.get("NEO4J_DATABASE"))
    assert "NEO4J_PASSWORD" in str(info.value) and SECRET not in str(info.value)
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore(env["NEO4J_URI"], env.get("NEO4J_USERNAME") or "neo4j",
                   env.get("NEO4J_PASSWORD"), "statusgraph-no-such-db")
    assert "NEO4J_DATABASE" in str(info.value)
