"""No injection: `cypher` without --write refuses writes; values go in as parameters only;
hostile text is stored as given and shown inert."""

from __future__ import annotations

import json
import shutil

import pytest
from support import EXAMPLES, Cli, db_digest

from graph.errors import QueryError
from graph.readonly import check_read_only

TRICKY_NAME = "O'Brien \"Bob\" $x \\ '}) DETACH DELETE n //"
EVIL_BODY = "Evil <script>alert('body')</script> Corp"
EVIDENCE = ("\x1b[31mred\x1b[0m \x07bell \u202eRLO\u202c <script>alert('q')</script> "
            "<a href=\"javascript:alert(1)\">click</a> \\ $x '}) DETACH DELETE n //")
EVIDENCE_2 = "javascript:alert(document.cookie) \x1b]0;title\x07 \x9b31m \r\n next line"

HOSTILE = {
    "format": "statusgraph/claims@1",
    "source": {"title": "<script>alert('title')</script>\x1b[2J",
               "publisher": "javascript:alert('publisher')", "kind": "other",
               "url": "https://example.org/hostile?q=%3Cscript%3E", "published": "2020-02-02"},
    "entities": [{"name": EVIL_BODY, "type": "Body", "kind": "company"},
                 {"name": TRICKY_NAME, "type": "Person", "member_of": EVIL_BODY}],
    "statements": [
        {"speaker": TRICKY_NAME, "about": ["Kent Police"], "kind": "status",
         "status": "deployed", "technology": "facial recognition", "stated": "2020-02",
         "evidence": EVIDENCE},
        {"speaker": EVIL_BODY, "about": ["Kent Police"], "kind": "position",
         "technology": "facial recognition", "stated": "2020-02-03", "evidence": EVIDENCE_2},
    ],
}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("injection")
    shutil.copytree(EXAMPLES, d / "sheets")
    (d / "sheets" / "hostile.json").write_text(json.dumps(HOSTILE), encoding="utf-8")
    db = d / "graph.db"
    r = Cli(db)("import", d / "sheets")
    assert r.exit_code == 0, r.output
    return db


@pytest.fixture
def run(hostile_db):
    return Cli(hostile_db)


WRITE = "this command is read-only; pass --write to allow it"
PROC = "only read-only procedures run without --write"
REFUSED = [
    ("CREATE (:Force {id: 'x', name: 'X'})", "CREATE", WRITE),
    ("cReAtE (:Force {id: 'x', name: 'X'})", "CREATE", WRITE),
    ("create (:Force {id: 'x', name: 'X'})", "CREATE", WRITE),
    ("CREATE NODE TABLE Evil(id STRING PRIMARY KEY)", "CREATE", WRITE),
    ("MERGE (f:Force {id: 'kent-police'}) ON MATCH SET f.name = 'x'", "MERGE", WRITE),
    ("MATCH (f:Force) SET f.name = 'x'", "SET", WRITE),
    ("match (f:Force)\tset\tf.name = 'x'", "SET", WRITE),
    ("MATCH (s:Statement) DELETE s", "DELETE", WRITE),
    ("MATCH (s:Statement) DETACH DELETE s", "DETACH", WRITE),
    ("MATCH (s:Statement) dEtAcH dElEtE s", "DETACH", WRITE),
    ("MATCH (f:Force) REMOVE f.name", "REMOVE", WRITE),
    ("DROP TABLE Statement", "DROP", WRITE),
    ("ALTER TABLE Force ADD evil STRING", "ALTER", WRITE),
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD", WRITE),
    ("LOAD FROM '/etc/passwd' RETURN *", "LOAD", WRITE),
    ("COPY Force FROM '/tmp/forces.csv'", "COPY", WRITE),
    ("COPY (MATCH (f:Force) RETURN f.name) TO 'OUT.csv'", "COPY", WRITE),
    ("EXPORT DATABASE 'dump'", "EXPORT", WRITE),
    ("IMPORT DATABASE 'dump'", "IMPORT", WRITE),
    ("INSTALL httpfs", "INSTALL", WRITE),
    ("ATTACH 'other.db' AS o (dbtype lbug)", "ATTACH", WRITE),
    ("CHECKPOINT", "CHECKPOINT", WRITE),
    ("BEGIN TRANSACTION", "BEGIN", WRITE),
    ("UNWIND [1] AS x FOREACH (i IN [1] | CREATE (:Force {id: 'z'}))", "FOREACH", WRITE),
    ("MATCH (n) CALL { WITH n DELETE n } RETURN 1", "DELETE", WRITE),
    ("CALL apoc.create.node(['Force'], {id: 'x'}) YIELD node RETURN node",
     "CALL apoc.create.node", PROC),
    ("CALL db.createLabel('Evil')", "CALL db.createLabel", PROC),
    ("call drop_fts_index('Statement', 'idx')", "CALL drop_fts_index", PROC),
    ("CALL threads=1", "CALL threads", PROC),
    # clauses after comments, strings and line breaks
    ("MATCH (n) RETURN n // a comment\nCREATE (m:Force {id: 'y'})", "CREATE", WRITE),
    ("/* only reading */ MATCH (n) WITH n LIMIT 1\n  DETACH\n  DELETE n", "DETACH", WRITE),
    ("MATCH (n)\n/* CREATE */\nWITH n\n// DELETE\nSET n.name = 'x'", "SET", WRITE),
    ("MATCH (n) WHERE n.name = 'it\\'s' SET n.name = 'x'", "SET", WRITE),
    ("MATCH (n) WHERE n.name = \"/*\" SET n.name = '*/'", "SET", WRITE),
    ("MATCH (n) WHERE n.name = '//' DELETE n", "DELETE", WRITE),
    ("MATCH (n) RETURN n.name AS `x` /**/CREATE (:Force {id: 'q'})", "CREATE", WRITE),
    ("RETURN 1 AS x;CREATE (:Force {id: 'q'})", "CREATE", WRITE),
    ("MATCH (n) RETURN n UNION ALL MATCH (m) MERGE (m)-[:CITES]->(m) RETURN m", "MERGE", WRITE),
]


@pytest.mark.parametrize("text,word,hint", REFUSED, ids=[f"{i}-{r[1]}" for i, r in
                                                         enumerate(REFUSED)])
def test_cypher_refuses_writes_without_write(run, hostile_db, tmp_path, monkeypatch, text,
                                             word, hint):
    monkeypatch.chdir(tmp_path)  # a COPY ... TO or EXPORT that slipped through would land here
    before = db_digest(hostile_db)
    r = run("cypher", text)
    assert r.exit_code == 2, r.output
    verb = "may change the graph" if word.startswith("CALL") else "changes the graph"
    assert r.stderr == f"error: refused: {word} {verb} — {hint}\n"
    assert r.stdout == ""
    assert db_digest(hostile_db) == before
    assert list(tmp_path.iterdir()) == []


def test_call_subqueries_are_checked_inside():
    """Neo4j's CALL { ... } is a subquery, not a procedure: its clauses decide."""
    check_read_only("MATCH (f:Force) CALL { WITH f MATCH (f)<-[:ABOUT]-(s) RETURN count(s) AS n }"
                    " RETURN f.name, n")
    check_read_only("MATCH (f:Force) CALL (f) { MATCH (f)<-[:ABOUT]-(s) RETURN s } RETURN s")
    with pytest.raises(QueryError, match="refused: SET changes the graph"):
        check_read_only("MATCH (f:Force) CALL { WITH f SET f.x = 1 } RETURN f")
    with pytest.raises(QueryError, match="refused: CALL db.create.setNodeVectorProperty may"):
        check_read_only("CALL { RETURN 1 AS x } CALL db.create.setNodeVectorProperty(n, 'p', x)")


def test_the_guard_matters_even_inside_a_read_only_transaction(hostile_db, tmp_path):
    """LadybugDB runs LOAD FROM and COPY ... TO inside READ ONLY transactions, so the
    lexical guard is what keeps `cypher` from reading or writing files."""
    from graph.embedded import EmbeddedStore

    out = tmp_path / "leak.csv"
    with EmbeddedStore(hostile_db, read_only=True) as store:
        store.query(f"COPY (MATCH (f:Force) RETURN f.name) TO '{out}'")
    assert out.exists()
    for text in (f"COPY (MATCH (f:Force) RETURN f.name) TO '{out}'", f"LOAD FROM '{out}' RETURN *"):
        with pytest.raises(QueryError, match="refused: (COPY|LOAD) changes the graph"):
            check_read_only(text)


READ = [
    ("RETURN 'CREATE' AS x", [{"x": "CREATE"}]),
    ("RETURN \"MATCH (n) DETACH DELETE n\" AS x", [{"x": "MATCH (n) DETACH DELETE n"}]),
    ("RETURN 'it\\'s a SET' AS x", [{"x": "it's a SET"}]),
    ("RETURN '/* DROP */' AS x // DELETE everything", [{"x": "/* DROP */"}]),
    ("MATCH (f:Force {id: 'kent-police'}) /* SET f.name = 'x' */ RETURN f.name AS n",
     [{"n": "Kent Police"}]),
    ("MATCH (f:Force {id: 'kent-police'})\n// DETACH DELETE f\nRETURN f.name AS `CREATE`",
     [{"CREATE": "Kent Police"}]),
    ("MATCH (f:Force {id: 'kent-police'}) RETURN f.name AS start", [{"start": "Kent Police"}]),
    ("RETURN {start: 1, `set`: 2} AS m", [{"m": {"start": 1, "set": 2}}]),
    ("CALL show_tables() WHERE name = 'Force' RETURN name", [{"name": "Force"}]),
]


@pytest.mark.parametrize("text,rows", READ)
def test_keywords_in_strings_comments_and_names_do_not_trip(run, hostile_db, text, rows):
    before = db_digest(hostile_db)
    r = run("cypher", text, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == rows
    assert db_digest(hostile_db) == before


PAYLOADS = ["'}) DETACH DELETE n //", "x' OR 1=1 //", '"; MATCH (n) DETACH DELETE n; "',
            "$subject", "\\' DETACH DELETE n", "\\\\'})-[:X]->() CREATE (:Force {id:'p'})//",
            "') RETURN 1 UNION MATCH (n) SET n.name = 'pwned' RETURN 1 //"]


@pytest.mark.parametrize("value", PAYLOADS)
def test_values_reach_cypher_only_as_parameters(run, hostile_db, value):
    before = db_digest(hostile_db)
    r = run("cypher", "OPTIONAL MATCH (f:Force) WHERE f.name = $v RETURN $v AS v, count(f) AS n",
            "-p", f"v={value}", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [{"v": value, "n": 0}]
    # canned queries: an entity parameter is looked up, never spliced into the text
    r = run("query", "claims-about", "-p", f"subject={value}")
    assert r.exit_code == 2 and r.stderr.startswith(f"error: unknown entity {value!r}")
    r = run("query", "provenance", "-p", f"statement={value}")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"error: no statement with id {value!r}"), r.stderr
    assert db_digest(hostile_db) == before


def test_a_hostile_name_runs_as_a_parameter_in_canned_queries(run, hostile_db):
    before = db_digest(hostile_db)
    r = run("query", "claims-by", "-p", f"speaker={TRICKY_NAME}", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["evidence"] for x in rows] == [EVIDENCE]
    r = run("query", "who-claims", "-p", f"speaker={EVIL_BODY}", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [(x["speaker"], x["evidence"]) for x in json.loads(r.stdout)] == [
        (EVIL_BODY, EVIDENCE_2)]
    assert db_digest(hostile_db) == before
    assert "Statement" in run("cypher", "CALL show_tables() RETURN name").stdout


def test_hostile_text_is_stored_as_given(run):
    r = run("query", "who-claims", "-p", "about=Kent Police", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = {x["evidence"]: x for x in json.loads(r.stdout)}
    assert rows[EVIDENCE]["speaker"] == TRICKY_NAME
    assert rows[EVIDENCE_2]["speaker"] == EVIL_BODY
    r = run("cypher", "MATCH (s:Source {url: $u}) RETURN s.title AS title, "
            "s.publisher AS publisher", "-p", f"u={HOSTILE['source']['url']}", "--format", "json")
    assert json.loads(r.stdout) == [{"title": HOSTILE["source"]["title"],
                                     "publisher": HOSTILE["source"]["publisher"]}]
    # and the export gives the sheet back, hostile text and all
    exported = [json.loads(line) for line in run("export", "--format", "jsonl").stdout.splitlines()]
    mine = [s for s in exported if s["source"].get("url") == HOSTILE["source"]["url"]]
    assert len(mine) == 1
    assert sorted(s["evidence"] for s in mine[0]["statements"]) == sorted([EVIDENCE, EVIDENCE_2])
    assert {e["name"] for e in mine[0]["entities"]} >= {EVIL_BODY, TRICKY_NAME}


RAW_CONTROLS = ["\x1b", "\x07", "\u202e", "\u202c", "\x9b", "\r"]


@pytest.mark.parametrize("args", [
    ("query", "who-claims", "-p", "about=Kent Police"),
    ("query", "claims-by", "-p", f"speaker={TRICKY_NAME}"),
    ("cypher", "MATCH (s:Source) RETURN s.title AS title, s.publisher AS publisher"),
    ("entities", "--search", "Evil"),
], ids=["who-claims", "claims-by", "cypher", "entities"])
def test_terminal_tables_are_inert(run, args):
    r = run(*args, "--format", "table")
    assert r.exit_code == 0, r.output
    for c in RAW_CONTROLS:
        assert c not in r.stdout, (c, r.stdout)
    assert all(ch == "\n" or ch.isprintable() for ch in r.stdout), r.stdout
    if args[0] != "entities":
        assert "\\x1b" in r.stdout or "\\x07" in r.stdout  # shown, not executed


def test_csv_output_is_inert_too(run):
    r = run("query", "who-claims", "-p", "about=Kent Police", "--format", "csv")
    assert r.exit_code == 0
    for c in RAW_CONTROLS:
        assert c not in r.stdout


def test_hostile_content_survives_an_export_round_trip(run, tmp_path):
    one = run("export", "--format", "jsonl").stdout
    assert "\\u001b[31m" in one or "\x1b[31m" in one
    dump = tmp_path / "dump.jsonl"
    dump.write_text(one, encoding="utf-8")
    fresh = Cli(tmp_path / "fresh.db")
    r = fresh("import", dump)
    assert r.exit_code == 0, r.output
    assert fresh("export", "--format", "jsonl").stdout == one
