"""Fuzzing: the loaders raise nothing but the project's own error type.

Generated text (free and YAML/JSON-flavoured), character-level mutations of a valid sheet,
and structured near-valid sheets (keys dropped, types changed, random statuses, names and
dates) go through `parse_sheets` as .yaml, .json and .jsonl; generated files go through
`read_article` when that loader exists.
"""

from __future__ import annotations

import copy
import importlib.util
import json

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graph.errors import StatusgraphError
from loaders.claimsheet import decode, parse_sheets

FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

VALID = {
    "format": "statusgraph/claims@1",
    "source": {"title": "A test source", "publisher": "The Observer", "author": "A Writer",
               "url": "https://example.org/a", "published": "2020-01-02", "kind": "news_article",
               "cites": ["https://example.org/b"]},
    "entities": [{"name": "Jane Doe", "type": "Person", "role": "chief constable",
                  "member_of": "Kent Police", "aliases": ["J. Doe"]}],
    "trials": [{"name": "Kent pilot", "technology": "live facial recognition",
                "run_by": "Kent Police", "funded_by": "Home Office", "description": "a pilot"}],
    "statements": [
        {"speaker": "Home Office", "about": ["Kent Police"], "kind": "status",
         "status": "committed", "trial": "Kent pilot", "stated": "2019-06", "quote": False,
         "evidence": "Kent is in the pilot", "span": [0, 20], "confidence": 0.9},
        {"speaker": "Jane Doe", "about": ["Kent Police", "Kent pilot"], "kind": "metric",
         "metric": "arrests", "value": 3, "unit": "people", "period": ["2019-01", "2019-12"],
         "technology": "facial recognition", "stated": 2019, "evidence": "three arrests"},
        {"speaker": "Kent Police", "kind": "position", "technology": "facial recognition",
         "stated": None, "evidence": "we welcome scrutiny", "quote": True},
    ],
}
VALID_YAML = yaml.safe_dump(VALID, sort_keys=False, allow_unicode=True)
SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


def parse(text: str, suffix: str):
    try:
        return parse_sheets(text, "fuzz" + suffix, suffix)
    except StatusgraphError as e:
        # a user error prints as one line and names the file
        assert "\n" not in str(e) and str(e).startswith("fuzz" + suffix), str(e)
        return None


def test_the_valid_sheet_is_valid():
    for suffix, text in ((".yaml", VALID_YAML), (".json", json.dumps(VALID)),
                         (".jsonl", json.dumps(VALID) + "\n" + json.dumps(VALID))):
        sheets = parse_sheets(text, "valid" + suffix, suffix)
        assert [len(s.claims) for s in sheets] == [3] * (2 if suffix == ".jsonl" else 1)


# -- generated text ------------------------------------------------------------------------
SYNTAX = st.sampled_from(list("{}[]:,-'\"!&*#|>?%@`\\\n\t ") + [
    "format: ", "statusgraph/claims@1", "source:", "statements:", "- ", "  ", "\n  - ",
    "speaker: ", "Home Office", "kind: status", "status: ", "about: [", "evidence: ",
    "stated: ", "2019-02-30", "0000-00-00", "1e999", "9" * 30, "&a ", "*a", "!!str ",
    "!!python/object:os.system ", "<<: ", "---\n", "...\n", "%YAML 1.1\n", "null", "~",
    "true", "no", ".nan", "-.inf", "0x1F", "0o17", "1_000", "\ufeff", "\u202e", "\x85",
    "\\u0000", "\\ud800", "\"\\x07\"", "NaN", "Infinity"])
SYNTAXY = st.lists(SYNTAX, max_size=60).map("".join)


@FUZZ
@given(text=st.one_of(st.text(max_size=300), SYNTAXY), suffix=st.sampled_from(SUFFIXES))
def test_generated_text(text, suffix):
    parse(text, suffix)


@FUZZ
@given(data=st.binary(max_size=300))
def test_generated_bytes_decode_or_fail_cleanly(data):
    try:
        text = decode(data, "fuzz.yaml")
    except StatusgraphError:
        return
    parse(text, ".yaml")


EDIT = st.tuples(st.floats(0, 1), st.sampled_from(["delete", "insert", "replace", "dup"]),
                 st.one_of(SYNTAX, st.text(max_size=3)), st.integers(1, 8))


def mutate_text(text: str, edits) -> str:
    for where, op, s, n in edits:
        i = int(where * len(text))
        if op == "delete":
            text = text[:i] + text[i + n:]
        elif op == "insert":
            text = text[:i] + s + text[i:]
        elif op == "replace":
            text = text[:i] + s + text[i + n:]
        else:
            text = text[:i] + text[i:i + n] * 2 + text[i + n:]
    return text


@FUZZ
@given(edits=st.lists(EDIT, min_size=1, max_size=6), fmt=st.sampled_from(["yaml", "json"]))
def test_mutated_text_of_a_valid_sheet(edits, fmt):
    if fmt == "yaml":
        parse(mutate_text(VALID_YAML, edits), ".yaml")
    else:
        parse(mutate_text(json.dumps(VALID, indent=1), edits), ".json")
        parse(json.dumps(VALID) + "\n" + mutate_text(json.dumps(VALID), edits), ".jsonl")


# -- structured near-valid sheets ------------------------------------------------------------
DATES = st.one_of(st.from_regex(r"\A-?\d{1,5}(-\d{1,3}(-\d{1,3})?)?\Z"), st.integers(-10, 10**6),
                  st.dates().map(str), st.floats(allow_nan=True))
WORDS = st.one_of(
    st.sampled_from(["committed", "trialling", "denied", "ncnd", "status", "metric", "position",
                     "action", "Kent Police", "Kent", "kent-police", "Home Office", "Jane Doe",
                     "Kent pilot", "facial recognition", "live facial recognition", "Force",
                     "Body", "Person", "news_article", "other", "arrests", "manual", "", " "]),
    st.text(max_size=20))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), WORDS, DATES)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(WORDS, inner, max_size=3)), max_leaves=8)


def paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from paths(v, (*prefix, i))


MUTATION = st.tuples(st.integers(0, 10**6), st.sampled_from(["drop", "set", "add", "date",
                                                             "word"]),
                     VALUES, WORDS, DATES)


def mutate(sheet, mutations):
    sheet = copy.deepcopy(sheet)
    for pick, op, value, word, date in mutations:
        all_paths = [p for p in paths(sheet) if p]
        if not all_paths:
            return sheet
        path = all_paths[pick % len(all_paths)]
        parent = sheet
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        if op == "drop":
            del parent[key]
        elif op == "set":
            parent[key] = value
        elif op == "add":
            if isinstance(parent, dict):
                parent[word if isinstance(word, str) else str(word)] = value
            else:
                parent.append(value)
        elif op == "date":
            parent[key] = date
        else:
            parent[key] = word
    return sheet


@FUZZ
@given(mutations=st.lists(MUTATION, min_size=1, max_size=5),
       suffix=st.sampled_from(SUFFIXES))
def test_near_valid_sheets(mutations, suffix):
    sheet = mutate(VALID, mutations)
    if suffix in (".yaml", ".yml"):
        text = yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True)
    else:
        try:
            text = json.dumps(sheet, allow_nan=True)
        except (TypeError, ValueError):
            assume(False)
        if suffix == ".jsonl":
            text = json.dumps(VALID) + "\n" + text
    sheets = parse(text, suffix)
    if sheets is not None and isinstance(sheet, dict) and isinstance(sheet.get("statements"),
                                                                     list):
        assert len(sheets[-1].claims) == len(sheet["statements"])


# -- the article loader -------------------------------------------------------------------------
HAVE_ARTICLE = importlib.util.find_spec("loaders.article") is not None
needs_article = pytest.mark.skipif(not HAVE_ARTICLE, reason="loaders/article.py (read_article) "
                                   "is not written yet")

HTML = st.lists(st.one_of(
    st.sampled_from(["<html>", "<head>", "<title>", "</title>", "<body>", "<p>", "</p>", "<div>",
                     "<script>alert(1)</script>", "<meta property='og:title' content='x'>",
                     "<meta name='date' content='2019-02-30'>", "<!--", "-->", "<![CDATA[",
                     "&amp;", "&#0;", "&#xD800;", "<a href='javascript:alert(1)'>", "\x00",
                     "Related content", "By Jane Doe", "Photograph: x", "\n", "Kent Police"]),
    st.text(max_size=10)), max_size=40).map("".join)


@pytest.fixture(scope="module")
def article_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("articles")


@needs_article
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(st.text(max_size=400), HTML, st.binary(max_size=300)),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_read_article_on_generated_files(article_dir, body, suffix):
    from loaders.article import read_article

    path = article_dir / f"fuzz{suffix}"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8", errors="surrogatepass")
    try:
        article = read_article(path)
    except StatusgraphError:
        return
    assert isinstance(article.text, str)


SIDECAR = st.one_of(
    st.text(max_size=100), SYNTAXY,
    st.dictionaries(st.sampled_from(["title", "publisher", "author", "url", "published", "kind"]),
                    SCALARS, max_size=6).map(lambda d: yaml.safe_dump(d)),
    st.sampled_from(["published: 2019-02-30\n", "published: 0000-01-01\n",
                     "title: !!python/object:os.system x\n", "a: &a [1]\nb: [*a, *a]\n",
                     "[" * 2000, "kind: 12\n", "title: [1, 2]\n", "- a\n"]))


@needs_article
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(meta=SIDECAR)
def test_read_article_with_generated_metadata(article_dir, meta):
    from loaders.article import read_article

    path = article_dir / "with-meta.txt"
    path.write_text("Kent Police said it was not using facial recognition.\n", encoding="utf-8")
    path.with_suffix(".meta.yaml").write_text(meta, encoding="utf-8", errors="surrogatepass")
    try:
        article = read_article(path)
    except StatusgraphError:
        return
    assert isinstance(article.source, dict)


HAVE_EXTRACT = HAVE_ARTICLE and importlib.util.find_spec("loaders.extract") is not None
SENTENCES = st.sampled_from([
    "Kent Police said it was not using facial recognition.", "The Home Office said Kent Police "
    "would trial live facial recognition in 2019.", "West Midlands Police has no plans to use it.",
    "On 3 June 2019 ", "In August, ", "\n\n", "“", "”", " said ", "denied ", "facial recognition ",
    "South Wales Police ", "deployed ", "£2m ", "1,000 faces ", "<script>", "\x1b[31m", "\u202e",
    "Feb 30 2019", "31/02/2019 "])


@pytest.mark.skipif(not HAVE_EXTRACT, reason="loaders/article.py or loaders/extract is not "
                    "written yet")
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=st.lists(st.one_of(SENTENCES, st.text(max_size=15)), max_size=30),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_article_to_claim_sheet_pipeline(article_dir, parts, suffix):
    """An article goes through extraction into a claim sheet, or fails cleanly."""
    from graph.pipeline import read_file
    from loaders.claimsheet import Context

    path = article_dir / f"pipeline{suffix}"
    path.write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
    try:
        read_file(path, Context())
    except StatusgraphError:
        pass
