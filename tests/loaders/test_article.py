"""Reading articles: text, Markdown and HTML; metadata from arguments, sidecar or page."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import StatusgraphError
from loaders.article import Article, clean_lines, read_article
from loaders.extract import extract_claims

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


def test_text_with_sidecar_metadata():
    art = read_article(ARTICLES / "essex-foi-response.txt")
    assert isinstance(art, Article)
    assert art.source == {"title": "FOI 1234/19: facial recognition", "publisher": "Essex Police",
                          "author": None, "url": None, "published": "2019-08-01",
                          "kind": "foi_response"}
    assert art.path.endswith("essex-foi-response.txt")
    # The signature block is not text.
    assert "Information Rights Team" not in art.text
    assert "Yours sincerely" not in art.text


def test_explicit_arguments_win_over_the_sidecar():
    art = read_article(ARTICLES / "essex-foi-response.txt", published="2019-09-09",
                       publisher="Kent Police", url="https://example.org/foi", title="T")
    assert art.source["published"] == "2019-09-09"
    assert art.source["publisher"] == "Kent Police"
    assert art.source["url"] == "https://example.org/foi"
    assert art.source["title"] == "T"


def test_html_page_metadata_and_boilerplate():
    art = read_article(ARTICLES / "met-oxford-circus.html")
    src = art.source
    assert src["title"] == "Met deploys live facial recognition at Oxford Circus"
    assert src["author"] == "Jane Doe"
    assert src["published"] == "2022-07-15"
    assert src["url"] == "https://www.londonledger.example/news/2022/jul/15/met-live-facial-recognition-oxford-circus"
    assert src["publisher"] == "London Ledger"
    text = art.text
    for junk in ("Advertisement", "Subscribe", "Politics", "Photograph", "Related stories",
                 "South Wales Police halts", "All rights reserved", "Privacy", "By Jane Doe",
                 "dataLayer", "border:"):
        assert junk not in text, junk
    assert "The Metropolitan Police used live facial recognition cameras at Oxford Circus" in text
    assert text.rstrip().endswith("this year.")


def test_html_statement_drops_cookie_banner_and_share_bar():
    art = read_article(ARTICLES / "gwent-statement.html")
    assert "cookies" not in art.text
    assert "Share this page" not in art.text
    assert "Road closure" not in art.text
    assert art.source["publisher"] == "Gwent Police"
    assert art.source["published"] == "2023-11-02"


def test_markdown_is_plain_text_after_reading():
    art = read_article(ARTICLES / "south-yorkshire-press-release.md")
    assert "**" not in art.text and "#" not in art.text and "](" not in art.text
    assert "Notes to editors" not in art.text and "Follow us" not in art.text
    assert "Published:" not in art.text
    assert art.text.startswith("Live facial recognition to be deployed in Sheffield city centre")


def test_captions_bylines_and_teasers_in_plain_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Headline here\n\nBy Sam Holt, Home Affairs Reporter\n\n"
                 "Kent Police said it had no plans to use facial recognition.\n\n"
                 "People at a station\nPeople at a station. Photograph: A Person/Agency\n\n"
                 "Sam Holt\n\nRelated Content\n\nArticle image\nSurrey Police to trial drones\n",
                 encoding="utf-8")
    art = read_article(p, publisher="The Observer", published="2019-08-17")
    assert art.text == ("Headline here\n\nKent Police said it had no plans to use facial recognition.")
    assert art.source["title"] == "Headline here"
    assert art.source["kind"] == "news_article"
    sts = extract_claims(art)["statements"]
    assert [s["about"] for s in sts] == [["Kent Police"]]


def test_whitespace_and_zero_width_are_normalised_but_quotes_kept():
    text = clean_lines("Kent\u00a0Police  said\u200b it was \u201cnot using\u201d it.\r\n")
    assert text == "Kent Police said it was \u201cnot using\u201d it."


def test_page_without_sidecar_takes_what_it_says(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("<html><head><title>Dorset Police and drones</title>"
                 "<meta name='author' content='A Writer'>"
                 "<meta property='article:published_time' content='2020-02-03'></head><body><article>"
                 "<h1>Dorset Police and drones</h1><p>Dorset Police said it was trialling drones "
                 "over the Jurassic Coast to find missing walkers, a spokesman confirmed today.</p>"
                 "<p>The force said the drones had been flown on 40 occasions this winter.</p>"
                 "</article></body></html>", encoding="utf-8")
    art = read_article(p)
    assert art.source["title"] == "Dorset Police and drones"
    assert art.source["published"] == "2020-02-03"
    assert art.source["author"] == "A Writer"
    sts = extract_claims(art)["statements"]
    assert ("Dorset Police", "trialling") in [(s["speaker"], s.get("status")) for s in sts]


@pytest.mark.parametrize("name, content", [("a.pdf", "x"), ("a", "x")])
def test_unsupported_files_are_a_user_error(tmp_path, name, content):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(StatusgraphError, match="unsupported article type"):
        read_article(p)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(StatusgraphError, match="cannot read"):
        read_article(tmp_path / "missing.txt")


def test_bad_sidecar_is_a_user_error(tmp_path):
    (tmp_path / "a.txt").write_text("Kent Police said so.", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("title: [unclosed", encoding="utf-8")
    with pytest.raises(StatusgraphError, match="a.meta.yaml"):
        read_article(tmp_path / "a.txt")


def test_windows_1252_text_is_read(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("Kent Police said it was \u201cnot using\u201d facial recognition.".encode("cp1252"))
    art = read_article(p, publisher="The Observer", published="2019-08-17")
    assert "\u201cnot using\u201d" in art.text


@pytest.mark.parametrize("text", ["", "   \n\n ", "\u201c", "Police.", "x" * 5000,
                                  "\u201cA quote that never ends\n\nand a second paragraph"])
def test_odd_inputs_do_not_break_extraction(text):
    sheet = extract_claims(Article(text, {"title": "t"}))
    assert sheet["format"] == "statusgraph/claims@1"
    for st in sheet["statements"]:
        assert text[st["span"][0]:st["span"][1]] == st["evidence"]


@pytest.mark.parametrize("meta, match", [
    ("published: 2019-02-30\n", "not a date"),
    ("a: &a [1]\nb: [*a, *a]\n", "aliases"),
    ("title: [1, 2]\n", "must be text"),
    ("- a\n", "must be a mapping"),
    ("title: !!python/object:os.system x\n", "tag"),
])
def test_sidecar_is_read_as_safely_as_a_claim_sheet(tmp_path, meta, match):
    (tmp_path / "a.txt").write_text("Kent Police said so.", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text(meta, encoding="utf-8")
    with pytest.raises(StatusgraphError, match=match):
        read_article(tmp_path / "a.txt")


def test_impossible_published_argument_is_a_user_error(tmp_path):
    (tmp_path / "a.txt").write_text("Kent Police said so.", encoding="utf-8")
    with pytest.raises(StatusgraphError, match="not a date"):
        read_article(tmp_path / "a.txt", published="2019-02-30")
