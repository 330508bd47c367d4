"""Canned queries page in the query itself ($skip, $limit): pages put end to end are the
whole answer, in the same order, whatever the page size, and the CLI says when more
rows follow."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from support import Cli

from graph.embedded import EmbeddedStore
from graph.errors import QueryError
from graph.pipeline import import_paths
from queries import canned_queries, run_canned, run_page
from queries.runner import HERE as QUERIES_DIR
from queries.runner import parse_query_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import Generator  # noqa: E402


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    """A synthetic corpus big enough that busy subjects have hundreds of claims."""
    root = tmp_path_factory.mktemp("paging")
    corpus = root / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(s) + "\n" for s in Generator(3).sheets(1500)),
                      encoding="utf-8")
    db = root / "graph.db"
    with EmbeddedStore(db) as store:
        assert not import_paths(store, [corpus]).failures
    return db


@pytest.fixture(scope="module")
def params(corpus_db) -> dict[str, dict]:
    with EmbeddedStore(corpus_db, read_only=True) as store:
        return realistic_params(store)


def busiest(store, text: str) -> str:
    return store.query(text + " ORDER BY n DESC, id LIMIT 1").rows[0][0]


def realistic_params(store) -> dict[str, dict]:
    subject = busiest(store, "MATCH (:Statement)-[:ABOUT]->(x) RETURN x.id AS id, count(*) AS n")
    speaker = busiest(store, "MATCH (x)-[:MADE]->(:Statement) RETURN x.id AS id, count(*) AS n")
    trial = busiest(store, "MATCH (:Statement)-[:CONCERNS]->(x:Trial) "
                           "RETURN x.id AS id, count(*) AS n")
    statement = busiest(store, "MATCH (s:Statement)-[:REPORTED_IN]->() "
                               "RETURN s.id AS id, count(*) AS n")
    return {
        "claims-about": {"subject": subject},
        "claims-by": {"speaker": speaker},
        "contradictions": {"subject": subject},
        "provenance": {"statement": statement},
        "self-vs-others": {"subject": subject},
        "status-as-of": {"date": "2020-06-30"},
        "status": {"subject": subject},
        "trial": {"trial": trial},
        "uncorroborated": {},
        "who-claims": {"about": subject},
    }


def test_pages_put_together_are_the_whole_answer(corpus_db, params):
    with EmbeddedStore(corpus_db, read_only=True) as store:
        assert set(params) == set(canned_queries())
        for name, values in params.items():
            whole = run_canned(store, name, values)
            n = len(whole.rows)
            assert n >= 3, (name, n)  # every query has something to page here
            # page sizes that split the answer in 12, 3 and 2 pages (each page is one
            # run of the query: contradictions has thousands of rows here)
            for size in sorted({-(-n // k) for k in (12, 3, 2)}):
                rows, offset = [], 0
                while True:
                    page = run_page(store, name, values, limit=size, offset=offset)
                    assert page.rows.columns == whole.columns
                    assert page.offset == offset
                    rows += page.rows.rows
                    offset += len(page.rows.rows)
                    assert page.more == (offset < n), (name, size, offset)
                    if not page.more:
                        break
                    assert len(page.rows.rows) == size
                assert rows == whole.rows, (name, size)
            assert run_page(store, name, values, limit=5, offset=n).rows.rows == []
            for offset in (0, 1, n // 2, n - 1):  # single rows anywhere
                page = run_page(store, name, values, limit=1, offset=offset)
                assert page.rows.rows == whole.rows[offset:offset + 1], (name, offset)
                assert page.more == (offset < n - 1)
            assert run_page(store, name, values).rows.rows == whole.rows


def test_a_busy_subject_has_many_pages(corpus_db, params):
    with EmbeddedStore(corpus_db, read_only=True) as store:
        subject = params["claims-about"]["subject"]
        n = len(run_canned(store, "claims-about", {"subject": subject}).rows)
    assert n > 300


def test_cli_pages_and_says_what_follows(corpus_db, params):
    run = Cli(corpus_db)
    subject = params["claims-about"]["subject"]
    with EmbeddedStore(corpus_db, read_only=True) as store:
        whole = run_canned(store, "claims-about", {"subject": subject}).dicts()
    ids = [r["statement"] for r in whole]

    r = run("query", "claims-about", "-p", f"subject={subject}", "--format", "json")
    assert r.exit_code == 0, r.output
    assert [x["statement"] for x in json.loads(r.stdout)] == ids[:100]
    assert r.stderr == ("note: rows 1-100 shown, more follow: --offset 100 for the next "
                        "page, --all for every row\n")

    r = run("query", "claims-about", "-p", f"subject={subject}", "--format", "json",
            "--limit", "30", "--offset", "100")
    assert [x["statement"] for x in json.loads(r.stdout)] == ids[100:130]
    assert "rows 101-130 shown" in r.stderr and "--offset 130" in r.stderr

    last = len(ids) - 10
    r = run("query", "claims-about", "-p", f"subject={subject}", "--format", "json",
            "--offset", str(last))
    assert [x["statement"] for x in json.loads(r.stdout)] == ids[last:]
    assert r.stderr == ""

    r = run("query", "claims-about", "-p", f"subject={subject}", "--format", "jsonl", "--all")
    assert [json.loads(line)["statement"] for line in r.stdout.splitlines()] == ids
    assert r.stderr == ""

    r = run("query", "claims-about", "-p", f"subject={subject}", "--limit", "0")
    assert r.exit_code == 2
    assert "--limit" in r.stderr


def test_a_query_that_does_not_page_is_refused(tmp_path):
    head = "// q: a query\n// @param subject entity the subject\n"
    (tmp_path / "q.cypher").write_text(head + "MATCH (x) WHERE x.id = $subject "
                                       "RETURN x.id AS id ORDER BY id\n", encoding="utf-8")
    with pytest.raises(QueryError) as e:
        parse_query_file(tmp_path / "q.cypher")
    assert e.value.message == "query does not page its rows"
    assert e.value.hint == "use SKIP $skip LIMIT $limit (see queries/runner.py)"

    (tmp_path / "q.cypher").write_text(head + "// @param limit int how many\n"
                                       "MATCH (x) WHERE x.id = $subject RETURN x.id AS id "
                                       "ORDER BY id SKIP $skip LIMIT $limit\n", encoding="utf-8")
    with pytest.raises(QueryError) as e:
        parse_query_file(tmp_path / "q.cypher")
    assert e.value.message == "@param limit is reserved"


def test_scoped_forms_are_checked_like_their_query(tmp_path):
    head = "// q: a query\n// @param subject entity? the subject\n"
    body = ("MATCH (x) WHERE $subject = '' OR x.id = $subject WITH x ORDER BY x.id "
            "LIMIT $anchors RETURN x.id AS id ORDER BY id SKIP $skip LIMIT $limit\n")
    q = tmp_path / "q.cypher"
    q.write_text(head + body, encoding="utf-8")
    (tmp_path / "scoped").mkdir()
    scoped = tmp_path / "scoped" / "q.cypher"
    scoped.write_text(body.replace("$subject = '' OR ", ""), encoding="utf-8")
    cq = parse_query_file(q)
    assert cq.anchored and cq.scoped == scoped.read_text(encoding="utf-8")
    assert cq.text_for("embedded", scoped=True) == cq.scoped
    assert cq.text_for("embedded") == cq.text
    assert not parse_query_file(QUERIES_DIR / "claims-about.cypher").anchored
    scoped.write_text(body.replace("$subject", "$who"), encoding="utf-8")
    with pytest.raises(QueryError) as e:
        parse_query_file(q)
    assert e.value.message == "parameters used ['who'] but declared ['subject']"
    assert e.value.file == str(scoped)
    scoped.write_text(body.replace("SKIP $skip LIMIT $limit", ""), encoding="utf-8")
    with pytest.raises(QueryError) as e:
        parse_query_file(q)
    assert e.value.message == "query does not page its rows"
    q.write_text(head.replace("entity?", "entity") + body, encoding="utf-8")
    scoped.write_text(body, encoding="utf-8")
    with pytest.raises(QueryError) as e:
        parse_query_file(q)
    assert e.value.message == "a scoped variant of a query with no optional parameter"


def test_a_statement_is_found_by_its_id_or_a_unique_prefix(corpus_db, params):
    sid = params["provenance"]["statement"]
    with EmbeddedStore(corpus_db, read_only=True) as store:
        whole = run_canned(store, "provenance", {"statement": sid}).rows
        assert len(whole) >= 2
        # ids are st- and 16 hex digits: 12 characters are unique among 1,500 statements
        assert run_canned(store, "provenance", {"statement": sid[:12]}).rows == whole
        with pytest.raises(QueryError) as e:
            run_canned(store, "provenance", {"statement": "st-"})
        assert e.value.message == "statement id prefix 'st-' is ambiguous (parameter statement)"
        with pytest.raises(QueryError) as e:
            run_canned(store, "provenance", {"statement": sid + "0"})
        assert e.value.message == f"no statement with id {sid + '0'!r} (parameter statement)"


# self-vs-others finds its page before it pairs (see the file); this is the answer it must
# give, as one plain join of every (own, other) pair on the subject
SELF_VS_OTHERS_BY_PAIRS = """
MATCH (own:Statement)-[ro:ABOUT]->(x)<-[rt:ABOUT]-(theirs:Statement)
WHERE own.kind = 'status' AND theirs.kind = 'status'
  AND own.speaker = x.id AND theirs.speaker <> x.id
  AND ($subject = '' OR x.id = $subject)
  AND EXISTS { MATCH (own)-[:CONCERNS]->(d)<-[:CONCERNS]-(theirs)
               WHERE d.id = own.deployment OR d.id = theirs.deployment }
MATCH (sp)-[:MADE]->(theirs)
OPTIONAL MATCH (own)-[:CONCERNS]->(d)
WHERE d.id = own.deployment
RETURN x.name AS subject, d.name AS deployment, own.status AS self_status,
       ro.valid_from AS self_from, sp.name AS other, theirs.status AS other_status,
       rt.valid_from AS other_from, own.stance = theirs.stance AS agree,
       own.id AS self_statement, theirs.id AS other_statement
ORDER BY subject, deployment, self_from, self_statement, other, other_statement
"""


def test_self_vs_others_pairs_exactly_what_the_plain_join_pairs(corpus_db):
    with EmbeddedStore(corpus_db, read_only=True) as store:
        forces = [r[0] for r in store.query(
            "MATCH (s:Statement)-[:ABOUT]->(x:Force) WHERE s.speaker = x.id "
            "RETURN x.id, count(*) AS n ORDER BY n DESC, x.id").rows]
        assert len(forces) >= 5
        for subject in [*forces[:5], ""]:
            want = store.query(SELF_VS_OTHERS_BY_PAIRS, {"subject": subject}).rows
            got = run_canned(store, "self-vs-others", {"subject": subject} if subject else {})
            assert [list(r) for r in got.rows] == [list(r) for r in want], subject
            assert len(want) > (100 if subject == "" else 0), subject
            # own claims nobody else speaks to are not rows, and do not stop a page
            assert run_canned(store, "self-vs-others", {"subject": subject} if subject else {},
                              limit=7, offset=3).rows == got.rows[3:10]


# contradictions finds its page before it pairs too; this is the answer it must give, as
# one plain join of every (claim, counter) pair (the query as it was before it paged)
CONTRADICTIONS_BY_PAIRS = """
MATCH (a:Statement)-[ra:ABOUT]->(x)
WHERE (a.stance = 'active' OR a.kind = 'metric') AND ($subject = '' OR x.id = $subject)
MATCH (x)<-[rb:ABOUT]-(b:Statement)
WHERE b.speaker <> a.speaker
  AND (
    (a.stance = 'active' AND b.stance IN ['undecided', 'inactive']
      AND (b.deployment IN a.concerns OR a.deployment IN b.concerns)
      AND (b.status = 'denied'
           OR (coalesce(ra.valid_from, date('0001-01-01')) < coalesce(rb.valid_to, date('9999-12-31'))
               AND coalesce(rb.valid_from, date('0001-01-01')) < coalesce(ra.valid_to, date('9999-12-31')))))
    OR (a.kind = 'metric' AND b.kind = 'metric' AND a.metric = b.metric
      AND a.speaker < b.speaker AND a.value <> b.value
      AND coalesce(a.period_from, date('0001-01-01')) = coalesce(b.period_from, date('0001-01-01'))
      AND coalesce(a.period_to, date('9999-12-31')) = coalesce(b.period_to, date('9999-12-31')))
  )
MATCH (sa)-[:MADE]->(a)
MATCH (sb)-[:MADE]->(b)
OPTIONAL MATCH (a)-[:CONCERNS]->(d)
WHERE d.id = a.deployment
WITH x, a, b, ra, rb, sa, sb, d
OPTIONAL MATCH (a)-[:REPORTED_IN]->(src_a:Source)
WITH x, a, b, ra, rb, sa, sb, d, collect(DISTINCT src_a.title) AS claim_sources
OPTIONAL MATCH (b)-[:REPORTED_IN]->(src_b:Source)
WITH x, a, b, ra, rb, sa, sb, d, claim_sources, collect(DISTINCT src_b.title) AS counter_sources
RETURN x.name AS subject, coalesce(d.name, a.metric) AS deployment,
       sa.name AS claimant, coalesce(a.status, a.metric) AS claim, a.value AS claim_value,
       ra.valid_from AS claim_from,
       sb.name AS counter_claimant, coalesce(b.status, b.metric) AS counter_claim,
       b.value AS counter_value, rb.valid_from AS counter_from,
       CASE WHEN a.kind = 'metric' THEN 'different values'
            WHEN b.status = 'denied' THEN 'denial'
            ELSE 'in force together' END AS reason,
       claim_sources, counter_sources, a.evidence AS claim_evidence,
       b.evidence AS counter_evidence, x.id AS subject_id, a.id AS claim_id, b.id AS counter_id
ORDER BY subject, subject_id, deployment, claimant, claim_id, counter_claimant, counter_id
"""


def test_contradictions_pair_exactly_what_the_plain_join_pairs(corpus_db):
    with EmbeddedStore(corpus_db, read_only=True) as store:
        subjects = [r[0] for r in store.query(
            "MATCH (s:Statement)-[:ABOUT]->(x) RETURN x.id, count(*) AS n "
            "ORDER BY n DESC, x.id").rows]
        # the busiest, two in the middle and the quietest, and every subject at once
        for subject in [subjects[0], subjects[len(subjects) // 2],
                        subjects[len(subjects) // 2 + 1], subjects[-1], ""]:
            want = [list(r) for r in store.query(CONTRADICTIONS_BY_PAIRS,
                                                 {"subject": subject}).rows]
            values = {"subject": subject} if subject else {}
            got = run_canned(store, "contradictions", values)
            # the sources (columns 11 and 12) come sorted from run_canned
            assert [list(r) for r in got.rows] == [
                r[:11] + [sorted(r[11]), sorted(r[12])] + r[13:] for r in want], subject
            for offset, limit in ((0, 1), (0, 100), (3, 7), (len(want) // 2, 50),
                                  (max(len(want) - 5, 0), 10)):
                page = run_canned(store, "contradictions", values, limit=limit, offset=offset)
                assert page.rows == got.rows[offset:offset + limit], (subject, offset)
        assert len(store.query(CONTRADICTIONS_BY_PAIRS, {"subject": ""}).rows) > 1000


SELF_CLAIMS = """\
format: statusgraph/claims@1
source: {title: Kent answers, publisher: Kent Police, published: 2020-03-01, kind: foi_response}
statements:
  - {speaker: Kent Police, about: [Kent Police], kind: status, status: deployed,
     technology: ANPR, stated: 2020-02, evidence: Kent uses ANPR}
  - {speaker: Kent Police, about: [Kent Police], kind: status, status: deployed,
     technology: DNA profiling, stated: 2020-02, evidence: Kent uses DNA profiling}
  - {speaker: Kent Police, about: [Kent Police], kind: status, status: deployed,
     technology: live facial recognition, stated: 2020-02, evidence: Kent uses LFR}
---
format: statusgraph/claims@1
source: {title: Ministers on Kent, publisher: Home Office, published: 2020-04-01, kind: press_release}
statements:
  - {speaker: Home Office, about: [Kent Police], kind: status, status: trialling,
     technology: facial recognition, stated: 2020-04, evidence: Kent is trialling it}
"""


def test_own_claims_nobody_answers_do_not_fill_the_page(tmp_path):
    # the ANPR and DNA claims sort first and have no counterpart: a page that kept the
    # first own claims before knowing which pair would come back empty
    sheet = tmp_path / "kent.yaml"
    sheet.write_text(SELF_CLAIMS, encoding="utf-8")
    with EmbeddedStore(tmp_path / "g.db") as store:
        assert not import_paths(store, [sheet]).failures
        for subject in ("Kent Police", None):
            page = run_page(store, "self-vs-others", {"subject": subject} if subject else {},
                            limit=1)
            assert [(r["subject"], r["deployment"], r["self_status"], r["other"],
                     r["other_status"], r["agree"]) for r in page.rows.dicts()] == [
                ("Kent Police", "live facial recognition", "deployed", "Home Office",
                 "trialling", True)]
            assert page.more is False


def kent_on_anpr(n: int) -> str:
    """n claim-sheet statements: Kent says of itself that it uses ANPR, a year apart."""
    return "".join(
        f"  - {{speaker: Kent Police, about: [Kent Police], kind: status, status: deployed,\n"
        f"     technology: ANPR, stated: {2001 + i}-02, evidence: Kent uses ANPR ({i})}}\n"
        for i in range(n))


def anchors_sent(store, monkeypatch) -> list:
    """The $anchors of every query the store runs from now on, in order."""
    sent = []
    query = store.query

    def counted(text, params=None, **kw):
        if params and "anchors" in params:
            sent.append(params["anchors"])
        return query(text, params, **kw)
    monkeypatch.setattr(store, "query", counted)
    return sent


def widening_sheet(n: int) -> str:
    """Kent says n things of its own ANPR, a year apart; the Home Office answers each."""
    own = kent_on_anpr(n)
    theirs = "".join(
        f"  - {{speaker: Home Office, about: [Kent Police], kind: status, status: trialling,\n"
        f"     technology: live facial recognition, stated: {2001 + i}-05, "
        f"evidence: Kent trials LFR ({i})}}\n"
        for i in range(n))
    return ("format: statusgraph/claims@1\n"
            "source: {title: Kent answers, publisher: Kent Police, published: 2020-03-01, "
            "kind: foi_response}\nstatements:\n" + own + "  - {speaker: Kent Police, about: "
            "[Kent Police], kind: status, status: deployed,\n     technology: live facial "
            "recognition, stated: 2000-01, evidence: Kent uses LFR}\n"
            "---\nformat: statusgraph/claims@1\n"
            "source: {title: Ministers on Kent, publisher: Home Office, published: 2020-04-01, "
            "kind: press_release}\nstatements:\n" + theirs
            + "".join(f"  - {{speaker: Home Office, about: [Kent Police], kind: status, "
                      f"status: no_plans,\n     technology: ANPR, stated: {2001 + i}-06, "
                      f"evidence: no ANPR in Kent ({i})}}\n" for i in range(2)))


def test_the_runner_widens_the_anchors_until_the_page_is_full(tmp_path, monkeypatch):
    # 12 own ANPR claims with 2 answers each sort before one LFR claim with 12: a page of
    # 30 rows needs 12 anchors; the runner starts the scoped form with FIRST_ANCHORS (4)
    import queries.runner as runner

    sheet = tmp_path / "kent.yaml"
    sheet.write_text(widening_sheet(12), encoding="utf-8")
    with EmbeddedStore(tmp_path / "g.db") as store:
        assert not import_paths(store, [sheet]).failures
        want = store.query(SELF_VS_OTHERS_BY_PAIRS, {"subject": "kent-police"}).rows
        assert len(want) == 12 * 2 + 12
        assert [r[1] for r in want] == (["automatic number plate recognition"] * 24
                                      + ["live facial recognition"] * 12)
        sent = anchors_sent(store, monkeypatch)
        for subject in ("Kent Police", None):
            sent.clear()
            page = run_page(store, "self-vs-others", {"subject": subject} if subject else {},
                            limit=30)
            assert [list(r) for r in page.rows.rows] == [list(r) for r in want[:30]], subject
            assert page.more is True
            # scoped: 4 anchors, then 8 times as many; global: $through (31) at once
            assert sent == ([4, 32] if subject else [31]), subject
            sent.clear()
            page = run_page(store, "self-vs-others", {"subject": subject} if subject else {},
                            limit=5, offset=1)
            assert [list(r) for r in page.rows.rows] == [list(r) for r in want[1:6]]
            assert sent == ([4] if subject else [7]), subject  # 4 anchors: 8 rows
            sent.clear()
            whole = run_canned(store, "self-vs-others", {"subject": subject} if subject else {})
            assert [list(r) for r in whole.rows] == [list(r) for r in want]
            assert sent == [runner.ALL_ROWS]  # a whole answer: every anchor at once


def test_anchors_with_no_row_are_passed_over(tmp_path, monkeypatch):
    # ten own ANPR claims nobody answers sort before the one LFR claim the Home Office
    # answers: the first tries (4, then 32 anchors) hold no row or too few, and only every
    # anchor at once shows that the answer is that one row (a page of 1 asks for 2 rows)
    import queries.runner as runner

    own = kent_on_anpr(10)
    sheet = tmp_path / "kent.yaml"
    sheet.write_text(SELF_CLAIMS.replace(
        "statements:\n", "statements:\n" + own, 1), encoding="utf-8")
    with EmbeddedStore(tmp_path / "g.db") as store:
        assert not import_paths(store, [sheet]).failures
        sent = anchors_sent(store, monkeypatch)
        for subject, tries in (("Kent Police", [4, 32, runner.ALL_ROWS]),
                               (None, [2, 16, runner.ALL_ROWS])):  # global: $through (2)
            sent.clear()
            page = run_page(store, "self-vs-others", {"subject": subject} if subject else {},
                            limit=1)
            assert [(r["deployment"], r["self_status"], r["other"]) for r in
                    page.rows.dicts()] == [("live facial recognition", "deployed",
                                            "Home Office")]
            assert page.more is False
            assert sent == tries, subject


def test_a_whole_answer_past_the_row_cap_is_refused(corpus_db, params, monkeypatch):
    import queries.runner as runner

    subject = params["claims-about"]["subject"]
    with EmbeddedStore(corpus_db, read_only=True) as store:
        n = len(run_canned(store, "claims-about", {"subject": subject}).rows)
        text = "MATCH (s:Statement)-[:ABOUT]->(x) WHERE x.id = $s RETURN s.id"
        assert len(store.query(text, {"s": subject}, max_rows=n).rows) == n
        with pytest.raises(QueryError) as e:
            store.query(text, {"s": subject}, max_rows=n - 1)
        assert e.value.message == f"the whole answer has more than {n - 1:,} rows"
    monkeypatch.setattr(runner, "WHOLE_ANSWER_MAX_ROWS", 250)
    run = Cli(corpus_db)
    r = run("query", "claims-about", "-p", f"subject={subject}", "--all")
    assert r.exit_code == 2
    assert r.stderr == ("error: the whole answer has more than 250 rows — page it (--limit N "
                        "--offset K) or narrow it (such as -p subject=...)\n")
    # a page is not a whole answer: it is never refused
    r = run("query", "claims-about", "-p", f"subject={subject}", "--limit", "300",
            "--format", "json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 300


def test_a_page_past_the_end_is_empty_and_does_not_crash(corpus_db, params):
    # LadybugDB 0.22 can die of SIGSEGV on ORDER BY … SKIP s LIMIT l with s past the
    # last row (queries.runner.SKIP_PAST_END_CRASHES): `statusgraph query claims-about
    # --offset 20000` on the examples did. Run in a child process, which such a crash kills.
    import subprocess

    script = (
        "import json, sys\n"
        "from graph.embedded import EmbeddedStore\n"
        "from queries import run_page\n"
        "params = json.loads(sys.argv[2])\n"
        "with EmbeddedStore(sys.argv[1], read_only=True) as store:\n"
        "    for name, values in sorted(params.items()):\n"
        "        for offset in (20_000, 32_500, 32_767, 40_000, 100_000):\n"
        "            page = run_page(store, name, values, limit=100, offset=offset)\n"
        "            print(name, offset, len(page.rows.rows), page.more)\n")
    root = Path(__file__).resolve().parents[2]
    p = subprocess.run([sys.executable, "-c", script, str(corpus_db), json.dumps(params)],
                       cwd=root, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, (p.returncode, p.stdout[-500:], p.stderr[-2000:])
    lines = p.stdout.splitlines()
    assert len(lines) == len(params) * 5
    assert all(line.endswith(" 0 False") for line in lines), lines
