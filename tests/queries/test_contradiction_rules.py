"""The in-force and contradiction rules of the design, each on a small graph."""

import textwrap

import pytest

from graph.build import batch_for_sheet
from graph.embedded import EmbeddedStore
from loaders.claimsheet import parse_sheets
from queries import run_canned


def sheet(title, published, *statements, extra=""):
    body = "".join(textwrap.indent(textwrap.dedent(s).strip() + "\n", "  ") for s in statements)
    return (f"format: statusgraph/claims@1\nsource: {{title: {title}, published: {published},"
            f" kind: statement}}\n{extra}statements:\n{body}")


def claim(speaker, about, status, stated, tech="facial recognition", trial=None, kind="status"):
    s = f"""- speaker: {speaker}
  about: [{about}]
  kind: {kind}
"""
    if kind == "status":
        s += f"  status: {status}\n"
    s += f"  stated: {stated}\n  evidence: {speaker} says {status} on {stated}\n"
    s += f"  trial: {trial}\n" if trial else f"  technology: {tech}\n"
    return s


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "g.db")
    yield s
    s.close()


def load(store, *texts):
    for i, text in enumerate(texts):
        for sh in parse_sheets(text, f"s{i}.yaml", ".yaml"):
            store.write(batch_for_sheet(sh))


def pairs(store, **params):
    rows = run_canned(store, "contradictions", params).dicts()
    return sorted((r["subject_id"], r["claimant"], r["claim"], r["counter_claimant"],
                   r["counter_claim"], r["reason"]) for r in rows)


def test_active_against_inactive_while_both_in_force(store):
    load(store, sheet("A", "2019-01-10", claim("Home Office", "Kent Police", "committed", "2019-01")),
         sheet("B", "2019-02-10", claim("Kent Police", "Kent Police", "not_using", "2019-02")))
    assert pairs(store) == [("kent-police", "Home Office", "committed", "Kent Police",
                             "not_using", "in force together")]


def test_a_later_claim_by_the_same_speaker_ends_the_earlier_one(store):
    load(store,
         sheet("A", "2019-01-10", claim("Home Office", "Kent Police", "committed", "2019-01")),
         sheet("A2", "2019-03-10", claim("Home Office", "Kent Police", "ended", "2019-03")),
         sheet("B", "2019-06-10", claim("Kent Police", "Kent Police", "not_using", "2019-06")))
    assert pairs(store) == []
    rows = run_canned(store, "status", {"subject": "Kent"}).dicts()
    assert [(r["claimant"], r["status"], str(r["valid_from"]), str(r["valid_to"])) for r in rows] == [
        ("Home Office", "committed", "2019-01-01", "2019-03-01"),
        ("Home Office", "ended", "2019-03-01", "None"),
        ("Kent Police", "not_using", "2019-06-01", "None")]
    as_of = run_canned(store, "status-as-of", {"date": "2019-02-15"}).dicts()
    assert [(r["claimant"], r["status"]) for r in as_of] == [("Home Office", "committed")]


def test_denial_contradicts_whatever_the_dates(store):
    load(store,
         sheet("A", "2019-01-10", claim("Home Office", "Kent Police", "committed", "2019-01")),
         sheet("A2", "2019-03-10", claim("Home Office", "Kent Police", "ended", "2019-03")),
         sheet("B", "2019-06-10", claim("Kent Police", "Kent Police", "denied", "2019-06")))
    assert pairs(store) == [("kent-police", "Home Office", "committed", "Kent Police",
                             "denied", "denial")]


def test_unknown_and_same_stance_never_contradict(store):
    load(store,
         sheet("A", "2019-01-10", claim("Home Office", "Kent Police", "deployed", "2019-01")),
         sheet("B", "2019-02-10", claim("Kent Police", "Kent Police", "ncnd", "2019-02"),
               claim("Liberty", "Kent Police", "trialling", "2019-02")))
    assert pairs(store) == []


def test_same_speaker_never_contradicts_itself(store):
    load(store, sheet("A", "2019-01-10", claim("Kent Police", "Kent Police", "deployed", "2019-01"),
                      claim("Kent Police", "Kent Police", "declined", "2019-01")))
    assert pairs(store) == []


def test_narrower_technologies_do_not_contradict_each_other(store):
    load(store, sheet(
        "A", "2019-01-10",
        claim("Home Office", "Kent Police", "deployed", "2019-01", tech="live facial recognition"),
        claim("Kent Police", "Kent Police", "not_using", "2019-01",
              tech="retrospective facial recognition"),
        claim("Liberty", "Kent Police", "no_plans", "2019-01", tech="facial recognition")))
    # LFR vs RFR: different deployments; LFR vs FR: FR is LFR's broader technology
    assert pairs(store) == [("kent-police", "Home Office", "deployed", "Liberty", "no_plans",
                             "in force together")]


def test_trial_against_its_technology(store):
    trials = ("trials:\n  - {name: Pilot, technology: facial recognition,"
              " funded_by: Home Office}\n")
    load(store, sheet("A", "2019-01-10",
                      claim("Home Office", "Kent Police", "committed", "2019-01", trial="Pilot"),
                      claim("Kent Police", "Kent Police", "approached", "2019-02"),
                      extra=trials))
    assert pairs(store, subject="Kent") == [
        ("kent-police", "Home Office", "committed", "Kent Police", "approached",
         "in force together")]
    rows = run_canned(store, "trial", {"trial": "pilot"}).dicts()
    assert [r["status"] for r in rows] == ["committed"]


def test_undated_claims_take_the_source_date(store):
    load(store, sheet("A", "2019-05-10", claim("Home Office", "Kent Police", "committed", "null")),
         sheet("B", "2019-02-10", claim("Kent Police", "Kent Police", "not_using", "2019-02"),
               claim("Kent Police", "Kent Police", "deployed", "2019-04")))
    # Kent's own not_using ended in April; the Home Office's undated claim starts in May
    assert pairs(store) == []
    row = run_canned(store, "claims-by", {"speaker": "Home Office"}).dicts()[0]
    assert str(row["date"]) == "2019-05-10"


def test_metric_claims_with_different_values(store):
    def metric(speaker, value):
        return f"""- speaker: {speaker}
  about: [South Wales Police]
  kind: metric
  metric: false_alerts
  value: {value}
  period: [2019-01-01, 2019-12-31]
  evidence: {speaker} counts {value}
"""
    load(store, sheet("A", "2020-01-10", metric("South Wales Police", 12), metric("Liberty", 40),
                      metric("Big Brother Watch", 12)))
    rows = run_canned(store, "contradictions", {}).dicts()
    assert sorted((r["claimant"], r["claim_value"], r["counter_claimant"], r["counter_value"])
                  for r in rows) == [("Big Brother Watch", 12.0, "Liberty", 40.0),
                                     ("Liberty", 40.0, "South Wales Police", 12.0)]
    assert {r["reason"] for r in rows} == {"different values"}


def test_two_sources_share_one_statement(store):
    c = claim("Kent Police", "Kent Police", "not_using", "2019-08-08")
    load(store, sheet("Article", "2019-08-17", c), sheet("FOI answer", "2019-08-08", c))
    assert store.query("MATCH (s:Statement) RETURN count(s)").rows == [[1]]
    sid = store.query("MATCH (s:Statement) RETURN s.id").rows[0][0]
    rows = run_canned(store, "provenance", {"statement": sid[:6]}).dicts()
    assert [r["source"] for r in rows] == ["FOI answer", "Article"]
    assert run_canned(store, "uncorroborated", {}).rows == []
