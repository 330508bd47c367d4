"""Automatic claim extraction: an article in, a reviewable claim sheet (format 1) out.

No model download: the gazetteer, cue phrases with negation and scope, speech
attribution and date resolution against the publication date (issue 3).

>>> from loaders.article import Article
>>> art = Article("Kent Police said it had no plans to use facial recognition.",
...               {"title": "t", "publisher": "The Observer", "published": "2019-08-17"})
>>> st = extract_claims(art)["statements"][0]
>>> (st["speaker"], st["about"], st["status"], st["stated"])
('Kent Police', ['Kent Police'], 'no_plans', '2019-08-17')
"""

from __future__ import annotations

from loaders.extract.sheet import FORMAT, build_sheet, dump

__all__ = ["FORMAT", "extract_claims", "dump_sheet"]


def extract_claims(article, *, lexicon=None) -> dict:
    """A claim-sheet dict for ``article`` (a `loaders.article.Article`).

    Every statement's ``evidence`` is ``article.text[span[0]:span[1]]``; its ``method``
    is ``extracted``. ``review`` lists low-confidence statements (by index) and names
    not in the gazetteer.
    """
    return build_sheet(article, lexicon)


def dump_sheet(sheet: dict) -> str:
    """The sheet as YAML, with a comment header telling the analyst what to check."""
    return dump(sheet)
