"""The automatic claim extractor (issue 3): the seed article, our fixtures, the patterns."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from loaders.article import Article, read_article
from loaders.claimsheet import parse_sheets
from loaders.extract import dump_sheet, extract_claims

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpus" / "observer-2019-08-17-police-halt-fr-trials"
SCORER = SHARED / "tools" / "score_extraction.py"
ARTICLES = ROOT / "tests" / "fixtures" / "articles"

# The F1 each fixture reaches, rounded down; a drop below it is a regression. The first six
# were written together with the rules; devon, gwent and lords were written (gold first)
# after the rules and first scored 0.667, 0.462 and 0.824 before the fixes they prompted;
# met-lfr-quotes, northants-foi-qa and hansard-written-answer likewise, first 0.545, 0.667, 0.0;
# cardiff-six-nations and ico-audit, first 0.75 and 0.70; kings-cross-met-admits first 0.40;
# notting-hill-carnival first 0.50; liberty-press-release and midlands-forces-compared first
# 0.80 and 0.875.
FIXTURE_FLOORS = {
    "bridges-court-of-appeal-summary.txt": 0.95,
    "devon-drones-anpr.txt": 0.85,
    "gwent-statement.html": 0.9,
    "lords-committee-report.md": 0.85,
    "hansard-written-answer.txt": 0.9,
    "met-lfr-quotes.txt": 0.9,
    "northants-foi-qa.txt": 0.95,
    "cardiff-six-nations.txt": 0.7,
    "ico-audit.md": 0.95,
    "kings-cross-met-admits.txt": 0.7,
    "notting-hill-carnival.txt": 0.95,
    "liberty-press-release.txt": 0.85,
    "midlands-forces-compared.txt": 0.95,
    "essex-foi-response.txt": 0.95,
    "foi-survey-forces.txt": 0.95,
    "met-oxford-circus.html": 0.95,
    "scotland-cyber-kiosks.txt": 0.95,
    "south-yorkshire-press-release.md": 0.95,
}


def score(sheet_path: Path, gold: Path) -> dict:
    """Run the shared scorer exactly as the issue says; its report as a dict."""
    out = subprocess.run([sys.executable, str(SCORER), str(sheet_path), str(gold)],
                         capture_output=True, text=True, check=True).stdout
    report = {}
    for line in out.splitlines():
        m = re.match(r"^(\w+): ([0-9.]+)$", line)
        if m:
            report[m[1]] = float(m[2])
    report["output"] = out
    return report


def extract_to(path: Path, tmp_path: Path) -> tuple[dict, Path, Article]:
    art = read_article(path)
    sheet = extract_claims(art)
    out = tmp_path / (path.stem + ".yaml")
    out.write_text(dump_sheet(sheet), encoding="utf-8")
    return sheet, out, art


def check_invariants(sheet: dict, art: Article) -> None:
    assert sheet["format"] == "statusgraph/claims@1"
    for st in sheet["statements"]:
        s, e = st["span"]
        assert art.text[s:e] == st["evidence"]
        assert st["evidence"].strip() == st["evidence"] and st["evidence"]
        assert 0 <= st["confidence"] <= 1
        assert st["method"] == "extracted"
        assert st["kind"] in ("status", "position", "action", "metric")
        assert ("status" in st) == (st["kind"] == "status")
        assert st["stated"] is None or re.fullmatch(r"\d{4}(-\d\d){0,2}", st["stated"])
    for r in sheet["review"]:
        assert r["statement"] is None or 0 <= r["statement"] < len(sheet["statements"])
        assert r["reason"]


needs_seed = pytest.mark.skipif(not (SEED.with_suffix(".txt").exists() and SCORER.exists()),
                                reason="shared corpus not available")


@needs_seed
def test_seed_article_scores(tmp_path):
    sheet, out, art = extract_to(SEED.with_suffix(".txt"), tmp_path)
    check_invariants(sheet, art)
    report = score(out, SEED.with_suffix(".gold.yaml"))
    assert report["f1"] >= 0.85, report["output"]
    assert report["stated_date_agreement"] >= 0.9, report["output"]


@needs_seed
def test_seed_sheet_is_a_valid_claim_sheet(tmp_path):
    sheet, out, _ = extract_to(SEED.with_suffix(".txt"), tmp_path)
    parsed = parse_sheets(out.read_text(encoding="utf-8"), str(out), ".yaml")
    assert len(parsed[0].claims) == len(sheet["statements"])
    assert {c.method for c in parsed[0].claims} == {"extracted"}


@needs_seed
def test_seed_drops_teasers_captions_and_byline():
    art = read_article(SEED.with_suffix(".txt"))
    assert "Related Content" not in art.text
    assert "Photograph:" not in art.text
    assert "GuardianTramp" not in art.text
    assert "Cenotaph" not in art.text
    assert art.text.rstrip().endswith("law enforcement.\u201d")
    assert art.source["published"] == "2019-08-17"
    assert art.source["publisher"] == "The Observer"


def fixture_articles():
    return sorted(p for p in ARTICLES.glob("*") if p.suffix in (".txt", ".md", ".html"))


def test_there_are_at_least_six_fixture_articles():
    arts = fixture_articles()
    assert len(arts) >= 6
    for a in arts:
        assert (ARTICLES / (a.stem + ".gold.yaml")).exists(), a


@pytest.mark.parametrize("path", fixture_articles(), ids=lambda p: p.name)
def test_fixture_article_scores(path, tmp_path):
    sheet, out, art = extract_to(path, tmp_path)
    check_invariants(sheet, art)
    gold = ARTICLES / (path.stem + ".gold.yaml")
    # The gold is a valid sheet once its scoring-only `alternatives` are set aside.
    raw = yaml.safe_load(gold.read_text(encoding="utf-8"))
    for st in raw["statements"]:
        st.pop("alternatives", None)
    parse_sheets(yaml.safe_dump(raw, allow_unicode=True), str(gold), ".yaml")
    parse_sheets(out.read_text(encoding="utf-8"), str(out), ".yaml")
    if not SCORER.exists():
        pytest.skip("shared scorer not available")
    report = score(out, gold)
    assert report["f1"] >= FIXTURE_FLOORS.get(path.name, 0.6), report["output"]


# --- the patterns the issue names, one at a time ------------------------------------------

def claims(text, published="2019-08-17", publisher="The Observer", **src):
    art = Article(text, {"title": "t", "publisher": publisher, "published": published,
                         "kind": "news_article", **src})
    sheet = extract_claims(art)
    check_invariants(sheet, art)
    return sheet["statements"]


def keys(statements):
    return [(s["speaker"], tuple(s["about"]), s["kind"], s.get("status")) for s in statements]


def test_negation_scope_not_using_or_trialling():
    sts = claims("Kent Police said it was \u201cnot currently using or trialling any form of "
                 "facial recognition technology, and has no current plans to use it\u201d.")
    assert keys(sts) == [("Kent Police", ("Kent Police",), "status", "not_using"),
                         ("Kent Police", ("Kent Police",), "status", "no_plans")]


def test_approached_but_no_commitment_is_approached():
    sts = claims("The reply from Essex, the county force, confirmed it had \u201cbeen approached "
                 "to contribute to the trial, however, no commitment to contribute has been made\u201d.")
    assert keys(sts) == [("Essex Police", ("Essex Police",), "status", "approached")]


def test_named_as_collaborating_is_committed_by_the_namer():
    sts = claims("Surrey Police and Sussex Police were named by ministers in May as collaborating "
                 "with the Home Office to trial the technology.")
    assert keys(sts) == [("Home Office", ("Surrey Police", "Sussex Police"), "status", "committed")]
    assert sts[0]["stated"] == "2019-05"


def test_trial_ended_is_ended_for_the_publisher():
    sts = claims("The Metropolitan Police\u2019s trial of live facial recognition ended last month.")
    assert keys(sts) == [("The Observer", ("Metropolitan Police Service",), "status", "ended")]
    assert sts[0]["technology"] == "live facial recognition"


def test_person_with_role_then_surname_then_pronoun():
    sts = claims(
        "Megan Goulding, a lawyer at Liberty, said: \u201cThe Met must stop using this tool.\u201d\n\n"
        "Goulding said Essex Police had no plans to follow.\n\n"
        "She added: \u201cSouth Wales Police is trialling it at football matches.\u201d")
    assert [s["speaker"] for s in sts] == ["Megan Goulding"] * 3
    assert keys(sts)[1] == ("Megan Goulding", ("Essex Police",), "status", "no_plans")
    assert keys(sts)[2] == ("Megan Goulding", ("South Wales Police",), "status", "trialling")


def test_declares_people_not_in_the_gazetteer():
    art = Article("Megan Goulding, a lawyer at Liberty, said Essex Police had no plans.",
                  {"title": "t", "publisher": "The Observer", "published": "2019-08-17"})
    sheet = extract_claims(art)
    ent = next(e for e in sheet["entities"] if e["name"] == "Megan Goulding")
    assert ent["type"] == "Person" and ent["member_of"] == "Liberty" and "Goulding" in ent["aliases"]
    assert any(r.get("name") == "Megan Goulding" for r in sheet["review"])


@pytest.mark.parametrize("text, speaker", [
    ("\u201cWe are not using facial recognition,\u201d said a Kent Police spokesperson.", "Kent Police"),
    ("\u201cWe are not using facial recognition,\u201d Kent Police said.", "Kent Police"),
    ("According to Kent Police, the force is not using facial recognition.", "Kent Police"),
    ("Kent Police told the Observer it was not using facial recognition.", "Kent Police"),
    ("Kent Police confirmed it had stopped using facial recognition.", "Kent Police"),
    ("Kent\u2019s response, dated 8 August, said it was \u201cnot using facial recognition\u201d.", "Kent Police"),
])
def test_attribution_patterns(text, speaker):
    sts = claims(text)
    assert sts and sts[0]["speaker"] == speaker
    assert sts[0]["about"] == ["Kent Police"]
    assert sts[0]["status"] in ("not_using", "ended")


@pytest.mark.parametrize("phrase, stated", [
    ("on Friday", "2019-08-16"), ("in June", "2019-06"), ("last month", "2019-07"),
    ("on 8 August", "2019-08-08"), ("in December", "2018-12"), ("yesterday", "2019-08-16"),
    ("in March 2018", "2018-03"),
])
def test_dates_resolve_against_publication(phrase, stated):
    sts = claims(f"Kent Police said {phrase} that it had no plans to use facial recognition.")
    assert sts[0]["stated"] == stated


def test_a_day_earlier_counts_from_the_date_before():
    sts = claims("On Friday Liberty released a report on facial recognition. A day earlier, "
                 "Kent Police said it had no plans to use facial recognition.")
    assert [s["stated"] for s in sts] == ["2019-08-16", "2019-08-15"]


def test_quoted_paragraph_continues_the_speaker():
    sts = claims("A Home Office spokesperson said: \u201cWe support the police as they trial new "
                 "technologies, including facial recognition.\n\n\u201cThe government believes there "
                 "is a legal framework for live facial recognition.\u201d")
    assert [s["speaker"] for s in sts] == ["Home Office", "Home Office"]
    assert all(s["kind"] == "position" and s["about"] == [] for s in sts)


def test_no_publication_date_gives_no_stated_date():
    sts = claims("Kent Police said it had no plans to use facial recognition.", published=None)
    assert sts[0]["stated"] is None


def test_dump_sheet_has_a_header_and_round_trips():
    art = Article("Kent Police said it had no plans to use facial recognition.",
                  {"title": "t", "publisher": "The Observer", "published": "2019-08-17"})
    sheet = extract_claims(art)
    text = dump_sheet(sheet)
    assert text.startswith("# ")
    assert "review" in text.split("format:")[0]
    assert yaml.safe_load(text) == sheet


def _contradictions(sheet_text: str, name: str, folder: Path) -> set[tuple]:
    from graph.build import batch_for_sheet
    from graph.embedded import EmbeddedStore
    from queries.runner import run_canned

    sheet = parse_sheets(sheet_text, name, ".yaml")[0]
    store = EmbeddedStore(folder / (Path(name).stem + ".db"))
    try:
        store.write(batch_for_sheet(sheet))
        rows = run_canned(store, "contradictions", {}).dicts()
    finally:
        store.close()
    # The deployment is named by the trial in the gold and by the technology when extracted.
    return {(r["subject"], r["claimant"], r["claim"], r["counter_claimant"], r["counter_claim"],
             r["reason"]) for r in rows}


@needs_seed
def test_seed_extracted_gives_the_same_contradictions_as_the_hand_written_sheet(tmp_path):
    gold = yaml.safe_load(SEED.with_suffix(".gold.yaml").read_text(encoding="utf-8"))
    for st in gold["statements"]:
        st.pop("alternatives", None)
    expected = _contradictions(yaml.safe_dump(gold, allow_unicode=True), "gold.yaml", tmp_path)
    sheet = extract_claims(read_article(SEED.with_suffix(".txt")))
    got = _contradictions(dump_sheet(sheet), "extracted.yaml", tmp_path)
    assert expected  # the seed's point: ministers against the forces' own answers
    assert got == expected


def test_anaphoric_claims_go_to_review_not_statements():
    art = Article("The responses reveal Kent Police has no intention of following suit.",
                  {"title": "t", "publisher": "The Observer", "published": "2019-08-17"})
    sheet = extract_claims(art)
    assert sheet["statements"] == []
    assert any("following suit" in r["reason"] for r in sheet["review"])


def test_benchmark_smoke_runs():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_extract.py"), "--smoke"],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    line = out.strip().splitlines()[-1]
    assert line.startswith("bench_extract: 20 articles")
    assert "articles/s" in line


def test_technology_words_inside_a_name_are_not_the_technology():
    sts = claims("In March the biometrics commissioner said Kent Police would use facial "
                 "recognition. The Biometrics Commissioner said Essex Police would use it too.")
    assert [s["technology"] for s in sts] == ["facial recognition", "facial recognition"]


def test_split_quotation_is_one_claim():
    sts = claims("\u201cWe have no plans,\u201d said a PSNI spokesperson, \u201cto use live facial "
                 "recognition.\u201d")
    assert keys(sts) == [("Police Service of Northern Ireland", ("Police Service of Northern Ireland",),
                          "status", "no_plans")]
    assert sts[0]["evidence"].endswith("to use live facial recognition")


@pytest.mark.parametrize("text, stated", [
    ("Officers in Cleveland have been using facial recognition since March, the force said.",
     "2019-08-17"),
    ("Dorset Police said it will use facial recognition on Saturday.", "2019-08-17"),
    ("Dorset Police said on Tuesday that it would use facial recognition.", "2019-08-13"),
])
def test_dates_of_what_is_claimed_are_not_dates_of_the_claim(text, stated):
    assert claims(text)[0]["stated"] == stated


def test_yes_no_answers_take_their_claim_from_the_question():
    sts = claims("1. Does the force use live facial recognition?\nNo.\n\n"
                 "2. Does the force have plans to use drones?\nYes.", publisher="Essex Police",
                 kind="foi_response")
    assert [(s["status"], s["technology"], s["evidence"]) for s in sts] == [
        ("not_using", "live facial recognition", "No."), ("planned", "drones", "Yes.")]


def test_written_answer_speaks_for_the_minister():
    sts = claims("Answered on 11 March 2024 by Chris Philp (Minister for Crime, Policing and Fire):\n\n"
                 "Essex Police is piloting live facial recognition this year.", publisher="UK Parliament")
    assert keys(sts) == [("Chris Philp", ("Essex Police",), "status", "trialling")]
