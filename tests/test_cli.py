"""The CLI end to end on a real embedded database."""

import json
import subprocess
import sys
import textwrap

import pytest
from support import EXAMPLES, GOOD, db_digest

from statusgraph.cli import cli


def test_contradictions_of_the_examples(examples_run):
    r = examples_run("query", "contradictions", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    pairs = {(x["subject"], x["claimant"], x["counter_claimant"]) for x in rows}
    for force in ("Kent Police", "West Midlands Police", "British Transport Police"):
        assert (force, "Home Office", force) in pairs
    subjects = {x["subject"] for x in rows}
    assert "South Wales Police" not in subjects
    assert "Metropolitan Police Service" not in subjects
    kent = [x for x in rows if x["subject"] == "Kent Police" and x["claimant"] == "Home Office"
            and x["counter_claimant"] == "Kent Police"]
    assert {x["counter_claim"] for x in kent} == {"not_using", "no_plans"}
    for x in kent:
        assert x["claim_sources"] == ["Police forces halt trials of facial recognition systems"]
        # Kent's answer is reported by the article and by the FOI response itself
        assert x["counter_sources"] == [
            "Kent Police response to a Freedom of Information request on facial recognition",
            "Police forces halt trials of facial recognition systems"]
        assert x["claim"] == "committed" and x["claim_from"] == "2019-06-01"
    wmp = [x for x in rows if x["subject"] == "West Midlands Police"
           and x["claimant"] == "Home Office" and x["counter_claimant"] == "West Midlands Police"]
    assert [x["counter_claim"] for x in wmp] == ["approached"]


def test_entity_parameter_takes_id_name_or_alias(examples_run):
    outs = []
    for value in ("Kent", "Kent Police", "kent-police", "Kent's"):
        r = examples_run("query", "contradictions", "-p", f"subject={value}", "--format", "json")
        assert r.exit_code == 0, r.output
        outs.append(r.output)
    assert outs[0] == outs[1] == outs[2] == outs[3]
    assert {x["subject"] for x in json.loads(outs[0])} == {"Kent Police"}


def test_unknown_entity_parameter_suggests(examples_run):
    r = examples_run("query", "claims-about", "-p", "subject=Kentt Police")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert "unknown entity 'Kentt Police'" in r.stderr and "'Kent Police'" in r.stderr


def test_reimport_adds_nothing(run, db_path):
    first = run("import", EXAMPLES)
    assert first.exit_code == 0, first.output
    counts = run("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json").output
    rels = run("cypher", "MATCH ()-[r]->() RETURN count(r) AS n", "--format", "json").output
    second = run("import", EXAMPLES)
    assert second.exit_code == 0
    assert "0 nodes and 0 relationships added" in second.output
    assert "the graph already held all of it" in second.output
    assert run("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json").output == counts
    assert run("cypher", "MATCH ()-[r]->() RETURN count(r) AS n",
               "--format", "json").output == rels



@pytest.mark.parametrize("name,text,line,needle", [
    ("malformed.yaml", GOOD.replace("about: [Kent Police]", "about: [Kent Police"), 6,
     "malformed YAML"),
    ("status.yaml", GOOD.replace("trialling", "trialing"), 7,
     "unknown status 'trialing' in statements[0] — did you mean 'trialling'? allowed statuses:"),
    ("entity.yaml", GOOD.replace("[Kent Police]", "[Kentish Police]"), 5,
     "unknown entity 'Kentish Police'"),
    ("date.yaml", GOOD.replace("stated: 2020-01", "stated: 2020-13"), 9,
     "statements[0].stated '2020-13' is impossible"),
    ("typo.yaml", GOOD.replace("statements:", "statments:"), 1, "unknown key 'statments'"),
])
def test_bad_sheet_exits_2_and_writes_nothing(run, db_path, tmp_path, name, text, line, needle):
    assert run("import", EXAMPLES).exit_code == 0
    before = db_digest(db_path)
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    r = run("import", bad)
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"error: {bad}:{line}: ") if name != "typo.yaml" else \
        r.stderr.startswith(f"error: {bad}:")
    assert needle in r.stderr
    assert "Traceback" not in r.output
    assert db_digest(db_path) == before


def test_good_sheet_imports(run, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    r = run("import", good)
    assert r.exit_code == 0, r.output
    rows = json.loads(run("query", "who-claims", "--format", "json").output)
    assert [(x["speaker"], x["about"], x["status"], x["date"]) for x in rows] == [
        ("Home Office", ["Kent Police"], "trialling", "2020-01-01")]


def test_query_list_and_formats(examples_run):
    r = examples_run("query", "--list", "--format", "json")
    names = [x["query"] for x in json.loads(r.output)]
    assert names == ["claims-about", "claims-by", "contradictions", "provenance",
                     "self-vs-others", "status-as-of", "status", "trial", "uncorroborated",
                     "who-claims"]
    csv_out = examples_run("query", "status", "-p", "subject=BTP", "--format", "csv").output
    assert csv_out.splitlines()[0] == ("deployment,claimant,self_reported,status,stance,"
                                       "valid_from,valid_to,evidence,statement")
    table = examples_run("query", "status", "-p", "subject=BTP", "--format", "table").output
    assert table.splitlines()[-1] == "(2 rows)"


def test_missing_required_parameter(examples_run):
    r = examples_run("query", "status")
    assert r.exit_code == 2
    assert r.stderr == "error: query status needs -p subject=... — the force (or body) whose" \
        " status to show\n"


def test_cypher_is_read_only_unless_write(run):
    assert run("import", EXAMPLES).exit_code == 0
    r = run("cypher", "MATCH (f:Force) /* CREATE */ RETURN f.name AS name ORDER BY name LIMIT 2",
            "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == [{"name": "British Transport Police"},
                                    {"name": "Kent Police"}]
    r = run("cypher", "MATCH (f:Force) SET f.name = 'x'")
    assert r.exit_code == 2 and "refused: SET changes the graph" in r.stderr
    r = run("cypher", "CREATE (:Force {id: 'x', name: 'X'})", "--write")
    assert r.exit_code == 0, r.output
    assert "X" in run("cypher", "MATCH (f:Force {id: 'x'}) RETURN f.name AS n").output


def test_entities(examples_run):
    r = examples_run("entities", "--type", "Force", "--search", "west", "--format", "json")
    rows = json.loads(r.output)
    assert [(x["name"], x["about"] > 0) for x in rows] == [("West Midlands Police", True)]


def test_export_is_stable_and_round_trips(examples_run, tmp_path):
    one = examples_run("export", "--format", "jsonl").output
    two = examples_run("export", "--format", "jsonl").output
    assert one == two and one.count("\n") == 4
    dump = tmp_path / "dump.jsonl"
    dump.write_text(one, encoding="utf-8")
    fresh = type(examples_run)(tmp_path / "fresh.db")
    assert fresh("import", dump).exit_code == 0
    assert fresh("export", "--format", "jsonl").output == one
    yaml_out = examples_run("export", "--format", "claims").output
    (tmp_path / "dump.yaml").write_text(yaml_out, encoding="utf-8")
    again = type(examples_run)(tmp_path / "again.db")
    assert again("import", tmp_path / "dump.yaml").exit_code == 0
    assert again("export", "--format", "jsonl").output == one


def test_locked_database_exits_3(db_path, run):
    assert run("import", EXAMPLES / "kent-police-foi-2019-08-08.yaml").exit_code == 0
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time, ladybug
        db = ladybug.Database({str(db_path)!r})
        print("ready", flush=True)
        sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = run("import", EXAMPLES)
        assert r.exit_code == 3
        assert r.stderr == (f"error: {db_path}: database is locked by another statusgraph "
                            "process — wait for that import to finish, or pass --wait SECONDS\n")
        # readers keep working: a read-only open takes no lock
        r = run("query", "who-claims", "--format", "json")
        assert r.exit_code == 0 and len(json.loads(r.output)) == 2
    finally:
        holder.communicate("")


def test_help_for_every_command():
    from click.testing import CliRunner

    runner = CliRunner()
    for name, _cmd in cli.commands.items():
        r = runner.invoke(cli, [name, "-h"])
        assert r.exit_code == 0, name
        assert "Example:" in r.output, name


def test_demo(tmp_path):
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "d"), "--examples",
                                 str(EXAMPLES)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "who claims what about whom" in r.output and "contradictions" in r.output
    assert f"database: {tmp_path / 'd' / 'statusgraph.db'}" in r.output


def test_unreachable_neo4j_exits_3_without_the_password(run):
    r = run("--backend", "neo4j", "--neo4j-uri", "neo4j://127.0.0.1:1",
            "--neo4j-password", "s3cret-pw", "query", "who-claims")
    assert r.exit_code == 3
    assert r.stderr == ("error: cannot reach Neo4j at neo4j://127.0.0.1:1: Unable to retrieve "
                        "routing information — check NEO4J_URI and that the server is running "
                        "and reachable\n")
    assert "s3cret-pw" not in r.output


def test_push_needs_a_server(run):
    assert run("import", EXAMPLES / "kent-police-foi-2019-08-08.yaml").exit_code == 0
    r = run("push", "--to", "neo4j")
    assert r.exit_code == 3
    assert "no Neo4j server configured" in r.stderr or "cannot reach Neo4j" in r.stderr


ARTICLES = EXAMPLES.parent / "tests" / "fixtures" / "articles"


def test_extract_writes_a_reviewable_sheet(run, tmp_path):
    out = tmp_path / "essex.yaml"
    r = run("extract", ARTICLES / "essex-foi-response.txt", "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stderr.startswith(f"wrote {out}: ")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("#") and "format: statusgraph/claims@1" in text
    # the sheet imports as it is, and its statements are marked as extracted
    assert run("import", out).exit_code == 0
    rows = json.loads(run("cypher", "MATCH (s:Statement) RETURN DISTINCT s.method AS m",
                          "--format", "json").output)
    assert rows == [{"m": "extracted"}]


def test_import_an_article_directly(run):
    r = run("import", ARTICLES / "essex-foi-response.txt")
    assert r.exit_code == 0, r.output
    rows = json.loads(run("query", "who-claims", "--format", "json").output)
    assert rows and all(x["statement"].startswith("st-") for x in rows)
    methods = json.loads(run("cypher", "MATCH (s:Statement) RETURN DISTINCT s.method AS m",
                             "--format", "json").output)
    assert methods == [{"m": "extracted"}]
    again = run("import", ARTICLES / "essex-foi-response.txt")
    assert "the graph already held all of it" in again.output


def test_wait_for_a_locked_database(db_path, run):
    assert run("import", EXAMPLES / "kent-police-foi-2019-08-08.yaml").exit_code == 0
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time, ladybug
        db = ladybug.Database({str(db_path)!r})
        print("ready", flush=True)
        time.sleep(1.5)
        db.close()
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = run("--wait", "20", "import", EXAMPLES)
        assert r.exit_code == 0, r.output
        assert r.stdout.splitlines()[-1].startswith("imported 4 source(s)")
    finally:
        holder.wait()
