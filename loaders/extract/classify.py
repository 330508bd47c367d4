"""Cue phrases that give a claim its kind and status, with negation and scope.

Each cue is a regular expression over the lower-cased match view (quotation marks
folded to spaces, so that ``no “decision has yet been made”`` reads as one phrase).
Cues are tried from the most specific (denials, FOI formulas, negations) to the
most general (``trialling``); a match consumes its words, so "not currently using or
trialling" is one ``not_using`` and never also ``trialling``. The strongest status
in a clause wins; a modal ("will", "would", "plans to") turns an active cue into
``planned``, and a negation just before a positive cue flips it.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

ADV = r"(?:\s+(?:currently|now|already|yet|still|also|presently|actively|formally|previously|ever|officially|routinely|at present|at this time|as yet))*"
W = r"[\w'’-]+"
_NEG_USE = (r"us(?:e|es|ed|ing)|trial(?:l)?(?:ed|ing)?|deploy(?:s|ed|ing)?|pilot(?:s|ed|ing)?|"
            r"test(?:s|ed|ing)?|operat(?:e|es|ed|ing)|employ(?:s|ed|ing)?|hav(?:e|ing)\s+(?:any|the)")

# (status, pattern); earlier rows win over later ones in the same clause.
STATUS_CUES: list[tuple[str, str]] = [
    ("ncnd", r"neither\s+confirms?\s+nor\s+den(?:y|ies)|\bncnd\b|can\s*not\s+confirm\s+or\s+deny|"
             r"cannot\s+confirm\s+or\s+deny"),
    ("denied", rf"\b(?:den(?:y|ies|ied|ying))\b(?:\s+{W}){{0,4}}?\s+(?:agreed|agreeing|"
               rf"(?:any\s+)?involvement|taking\s+part|any\s+plans|being\s+involved|signed\s+up|"
               rf"committ\w*|(?:was|were|is|are|had|has|have)\s+(?:ever\s+)?(?:been\s+)?"
               rf"(?:involved|part|participating|collaborating|working|trialling|using))|"
               rf"\bnever\s+(?:agreed|signed\s+up|committed|been\s+involved)\b|"
               rf"\b(?:den(?:y|ies|ied))\s+(?:that\s+)?(?:it|they|the\s+force)\s+(?:had|has|was|were|is|are)\b"),
    ("not_held", r"\b(?:does|do|did)\s+not\s+hold\s+(?:any\s+)?(?:recorded\s+)?(?:information|data|records)|"
                 r"\b(?:does|do|did)\s+not\s+hold\s+(?:this|that|the|such|any\s+such)\s+(?:recorded\s+)?(?:information|data|records)|"
                 r"\bno\s+(?:recorded\s+|relevant\s+)?information\s+(?:is\s+|was\s+)?held|"
                 r"\binformation\s+(?:is\s+|was\s+)?not\s+held|\bholds?\s+no\s+(?:recorded\s+|relevant\s+)?"
                 r"information|\bno\s+records?\s+(?:are\s+|is\s+|were\s+)?held|"
                 r"\bno\s+(?:relevant\s+)?information\s+(?:was|has\s+been|could\s+be)\s+(?:found|located)"),
    # "will not use", "would not be deployed": a refusal, not a report of non-use.
    ("declined", r"\b(?:will|would|shall)\s+not\s+(?:be\s+)?(?:us(?:e|ed|ing)|deploy(?:ed|ing)?|trial(?:l?ing|l?ed)?|"
                 r"introduc(?:e|ed|ing)|roll(?:ed)?\s+out|pilot(?:ed|ing)?|tak(?:e|ing)\s+part|participat(?:e|ing))\b|"
                 r"\b(?:won't|wouldn't)\s+(?:be\s+)?(?:use|deploy|trial|introduce|take\s+part)\w*\b"),
    ("not_using", rf"\b(?:not|never|n't)\b{ADV}\s+(?:been\s+)?(?:{_NEG_USE})\b(?:\s+(?:or|and|nor)\s+{W})*|"
                  rf"\bno\s+longer\s+(?:{_NEG_USE})\b|\bnot\s+in\s+use\b|\b(?:not|n't)\s+(?:currently\s+|yet\s+)?have\s+access\b|"
                  rf"\bhas\s+no\s+access\b|\bdoes\s+not\s+have\s+(?:any\s+|the\s+)?"
                  rf"(?:facial|face|live|such|this)\b|\bhas\s+no\s+(?:facial|live|such)\b"),
    ("no_plans", rf"\bno{ADV}\s+(?:current\s+|immediate\s+|future\s+|further\s+|firm\s+|concrete\s+)*"
                 rf"(?:plans?|intentions?)\b(?:\s+(?:to|for)\s+(?:use|deploy|introduce|trial|adopt|roll\s+out|install|buy|"
                 rf"purchase|implement|pilot|test|expand|extend|start|begin|join)\b)?|\b(?:not|n't)\s+(?:currently\s+)?(?:plan(?:ning)?|intend(?:ing)?)\s+to\b|"
                 rf"\bhas\s+not\s+planned\b|\bnot\s+(?:something|an\s+option)\s+(?:we|it|the\s+force)\s+(?:is|are)\s+"
                 rf"(?:considering|pursuing)"),
    ("declined", r"\b(?:declined|refused|refuses|refusing)\s+to\s+(?!comment|say|confirm|rule\s+out|discuss|answer|"
                 r"reveal|disclose|provide|release|respond|give|name|elaborate)|\b(?:rejected|rejects|"
                 r"turned\s+down|ruled\s+out|rules\s+out|decided\s+against|decided\s+not\s+to|opted\s+not\s+to|"
                 r"chose\s+not\s+to|pulled\s+out\s+of|withdr[ae]w\s+from|withdrawn\s+from)\b|"
                 r"\b(?:will|would|shall)\s+not\s+(?:be\s+)?(?:us(?:e|ing)|deploy(?:ing)?|trial(?:l?ing)?|"
                 r"tak(?:e|ing)\s+part|participat(?:e|ing))\b|\bwon't\s+(?:use|deploy|trial|take\s+part)\b|"
                 r"\bresist(?:ant|ance|ing|ed)?\s+to\b"),
    ("approached", r"\b(?:been|was|were|being|is|are|had\s+been|has\s+been|have\s+been)\s+(?:approached|invited|asked)\b|"
                   r"\bapproached\s+by\b|\breceived\s+(?:an\s+)?(?:invitation|approach|request)\s+to\b"),
    ("ended", rf"\b(?:trial|trials|pilot|pilots|use|scheme|programme|project|deployment|deployments|"
              rf"operation|agreement|arrangement|contract|partnership)\b(?:\s+{W}){{0,6}}?\s+(?:has\s+|had\s+|have\s+)?(?:ended|concluded|came\s+to\s+an\s+end|"
              rf"finished|was\s+completed|were\s+completed|was\s+scrapped|was\s+abandoned|was\s+dropped|"
              rf"was\s+discontinued|closed)\b|"
              rf"\b(?:ended|concluded|finished|completed|scrapped|abandoned|dropped|stopped|ceased|"
              rf"discontinued|ending|scrapping|abandoning)\s+(?:its|the|their|a|his|her)\s+(?:{W}\s+){{0,4}}?"
              rf"(?:trials?|pilots?|use|scheme|programme|deployments?|project)\b|"
              rf"\bstopped\s+(?:using|trialling|deploying)\b|\bno\s+longer\b"),
    ("paused", r"\b(?:paused|pausing|suspended|suspending|halted|halting|put\s+on\s+hold|on\s+hold|"
               r"postponed|postponing|shelved|mothballed)\b"),
    ("considering", r"\b(?:is|are|was|were|remains?|been)?\s*consider(?:ing)\b|\bwill\s+consider\b|"
                    r"\bexplor(?:ing|e|es)\b|"
                    r"\blooking\s+(?:at|into)\s+(?:the\s+)?(?:use|options?|whether|possibilit\w+)|"
                    r"\bevaluating\b|\bassess(?:ing)?\s+(?:whether|the\s+use|options)|\bweighing\b|"
                    r"\bunder\s+(?:review|consideration)\b|\breviewing\s+(?:the|its|their|whether)\b|\bno\s+decision\b|\b(?:yet|not)\s+(?:yet\s+)?"
                    r"(?:to\s+)?(?:decide|decided|made\s+a\s+decision|taken\s+a\s+decision)\b|"
                    r"\b(?:only\s+)?discussed\b|\bin\s+discussions?\b|\bheld\s+(?:talks|discussions)\b|"
                    r"\bremains?\s+open\s+to\b|\bundecided\b|\bnot\s+ruled\s+out\b|\b(?:refus|declin)(?:ed|es|ing)\s+to\s+rule\s+out\b|"
                    r"\b(?:would|will|did|does|could)\s+not\s+rule\s+out\b|\b(?:wouldn't|won't|didn't|doesn't|hasn't)\s+rule[ds]?\s+out\b|\bkeep(?:s|ing)?\s+"
                    r"(?:it|this|the\s+matter)\s+under\s+review"),
    ("lab_trial", rf"\b(?:lab(?:oratory)?[- ]based|laboratory|lab|controlled|in-house|offline)\s+"
                  rf"(?:{W}\s+)?(?:trials?|testing|tests?|pilot|evaluation)\b|\btested\s+(?:{W}\s+){{0,4}}?in\s+"
                  rf"(?:a\s+)?(?:lab|laboratory|controlled)"),
    ("committed", rf"\b(?:agreed|agrees|signed\s+up|committed|volunteered)\s+to\b(?!\s+(?:disagree|differ|its|their|his|her|our|ensuring|protecting|making)\b)|"
                  rf"\b(?:collaborat\w+|working|work|works|partner\w*|team(?:ing|ed)?\s+up)\s+with\s+"
                  rf"(?:{W}\s+){{1,6}}?(?:to|on|in)\s+(?:trial|pilot|test|develop|roll|deploy|(?:a|the)\s+(?:trial|pilot))|"
                  rf"\b(?:named|cited|listed|identified|selected|chosen|picked)\s+(?:{W}\s+){{0,6}}?as\s+"
                  rf"(?:{W}\s+){{0,3}}?(?:collaborat\w+|working|partner\w*|participat\w+|taking\s+part|involved)\b|"
                  rf"\b(?:will|to)\s+(?:take\s+part|participate)\b|\b(?:assist\w*|help\w*|contribut\w*)\s+"
                  rf"(?:{W}\s+){{0,4}}?to\s+(?:trial|pilot|roll\s+out|test)\b|\bsigned\s+(?:a\s+)?(?:contract|deal|agreement)\b"),
    ("planned", r"\b(?:plans?|planning|planned|intends?|intending|intended|hop(?:es?|ed|ing)|aim(?:s|ed|ing)?|expect(?:s|ed|ing)?|"
                r"prepar(?:es|ing))\s+to\s+(?:use|deploy|introduce|roll|trial|install|adopt|expand|extend|"
                r"pilot|test|launch|buy|purchase|procure|equip|start|begin|join|acquire|implement)\b|\bplans?\s+(?:for|to)\s+(?:a|the|its)\s+"
                r"(?:[\w-]+\s+){0,3}?(?:trial|pilot|roll-?out|deployment)\b"),
    ("deployed", r"\bdeploy(?:ed|s|ing)?\b|\bcontinu(?:e|es|ed|ing)\s+to\s+(?:use|deploy|operate)\b|\b(?:in|into)\s+(?:operational|routine|everyday|regular|"
                 r"full|live)\s+use\b|\brolled\s+out\b|\brolling\s+out\b|\broll\s+out\b|\bintroduc(?:ed|ing)\b|"
                 r"\badopted\b|\bwent\s+live\b|\bgo(?:es|ing)?\s+live\b|\bequipp?(?:ed|ing)\s+(?:{W}\s+){0,3}?with\b|"
                 r"\binstall(?:ed|ing|s)?\b|\b(?:uses|using|used|use|employ(?:s|ed|ing)?|operat(?:es|ed|ing)|fl(?:y|ies|ying|ew|own)|"
                 r"deploy(?:s|ing|ed)?)\s+"
                 r"(?:[\w'’-]+\s+){0,3}?TECH\b|\bmade\s+\w+\s+arrests?\b|\b(?:(?:has|have|had)\s+been|"
                 r"(?:is|are|was|were)(?:\s+being)?)\s+(?:used|deployed|flown|operated|rolled\s+out|in\s+use)\b|"
                 r"\bpart\s+of\s+(?:everyday|routine|day-to-day|normal|standard|business\s+as\s+usual)\s+"
                 r"(?:[\w-]+\s+)?(?:policing|operations|use|practice|work)\b"),
    ("trialling", rf"\btrial(?:l)?ing\b|\bpilot(?:ing|ed)\b|\btesting\b(?!\s+positive)|\btrial(?:l)?ed\b|"
                  rf"\b(?:run|runs|running|ran|conduct(?:s|ed|ing)?|carr(?:y|ied|ying|ies)\s+out|began|begun|"
                  rf"started|start|starting|launch(?:ed|es|ing)?|hold(?:s|ing)?|held|spearhead\w*|lead(?:s|ing)?|"
                  rf"led|undertak\w+|ha(?:s|ve)\s+had)\s+(?:{W}[\s-]+){{0,6}}?(?:trials?|pilots?)\b|"
                  rf"\btrials?\s+(?:are|is|were|was)\s+(?:underway|under\s+way|ongoing|taking\s+place|running)\b|"
                  rf"\b(?:take|taking|took)\s+part\s+in\s+(?:{W}\s+){{0,4}}?(?:trials?|pilots?)\b|"
                  rf"\b(?:trial|pilot)\s+(?:is|was)\s+(?:being\s+)?(?:run|held|conducted)\b"),
    ("proposed", r"\b(?:proposed|proposes|earmarked|shortlisted|put\s+forward)\b|\bnamed\s+as\s+(?:a\s+)?"
                 r"(?:possible|potential|candidate)"),
]
_ORDER = {s: i for i, (s, _) in enumerate(STATUS_CUES)}
ACTIVE = {"committed", "planned", "lab_trial", "trialling", "deployed"}

_MODAL = re.compile(r"\b(?:will|would|shall|plans?\s+to|planning\s+to|planned\s+to|intends?\s+to|intending\s+to|"
                    r"is\s+to|are\s+to|set\s+to|going\s+to|aims?\s+to|hopes?\s+to|expects?\s+to|"
                    r"wants?\s+to|due\s+to|about\s+to|prepared\s+to|preparing\s+to|is\s+expected\s+to|"
                    r"are\s+expected\s+to)\s+(?:\w+\s+){0,2}$")
_NEGATED = re.compile(r"\b(?:not|never|no|n't|nor|without)\s+(?:\w+\s+){0,2}$")
_NORMATIVE = re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to|calls?\s+(?:on|for)|called\s+(?:on|for)|"
                        r"urg(?:e|es|ed|ing)|demand(?:s|ed)?|would\s+be\s+(?:wrong|unlawful|right))\b")
_NOUN_USE = re.compile(r"(?:'s|s')\s+$|\b(?:its|their|the|his|her|our|of|any|such|for|on|against|a|police|force's|"
                       r"forces'|over|about|in|into|to)\s+$")
_DETERMINER = re.compile(r"(?:'s|s')\s+$|\b(?:its|their|the|his|her|our|any|such|a|this|that|whose)\s+$")
_CONDITIONAL = re.compile(r"\b(?:unless|could|might|may)\s+(?:\w+\s+){0,3}$")
_WHETHER = re.compile(r"\b(?:if|whether)\s+(?:\w+\s+){0,3}$")


@dataclass
class Cue:
    start: int
    end: int
    status: str
    weight: float  # 1.0 a plain cue; less when flipped, modal or hedged


def _compile(tech_alt: str) -> list[tuple[str, re.Pattern]]:
    out = []
    for status, pat in STATUS_CUES:
        out.append((status, re.compile(pat.replace("TECH", tech_alt))))
    return out


_CACHE: dict[str, list[tuple[str, re.Pattern]]] = {}


DEFAULT_TECH = r"(?:technology|technologies|system|systems|software|facial|face|live|cameras?|vans?|it|them|tool|tools|app)"


def compiled(tech_alt: str = DEFAULT_TECH) -> list:
    if tech_alt not in _CACHE:
        _CACHE[tech_alt] = _compile(tech_alt)
    return _CACHE[tech_alt]


@functools.cache
def _tech_before(tech_alt: str) -> re.Pattern:
    return re.compile(r"\b" + tech_alt + r"\s+(?:[\w'’-]+\s+){0,2}?$")


def index_cues(low: str, tech_alt: str = DEFAULT_TECH) -> list[tuple[str, list[tuple[int, int]]]]:
    """Every cue match in the whole text, once, so clauses only look them up."""
    return [(status, [m.span() for m in rx.finditer(low)]) for status, rx in compiled(tech_alt)]


def find_status_cues(low: str, start: int, end: int, tech_alt: str = DEFAULT_TECH,
                     index=None) -> list[Cue]:
    """Status cues in low[start:end] (low: lower-cased match view), most specific first.

    ``index`` (from `index_cues`) saves running every pattern on every clause.
    """
    taken: list[tuple[int, int]] = []
    out: list[Cue] = []
    if index is None:
        index = [(status, [m.span() for m in rx.finditer(low, start, end)])
                 for status, rx in compiled(tech_alt)]
    for status, spans in index:
        lo = bisect.bisect_left(spans, (start, -1))
        for s, e in spans[lo:]:
            if s >= end:
                break
            if e > end:
                continue
            while s < e and low[s].isspace():
                s += 1
            if s >= e or any(a < e and s < b for a, b in taken):
                continue
            before = low[max(start, s - 40):s]
            if status == "deployed" and re.match(r"use\b", low[s:s + 4]) and (
                    _DETERMINER.search(before) or (low.startswith("use of", s) and _NOUN_USE.search(before))):
                continue  # "its use of facial recognition" names the use, it does not report it
            if status == "deployed" and low[s] in "hiaw" and re.match(r"(?:has|have|had|is|are|was|were)\b", low[s:s + 5]) \
                    and not _tech_before(tech_alt).search(low, max(0, s - 60), s):
                continue  # "the data was used": only a technology "has been used" reports a use
            weight = 1.0
            st = status
            if st in ACTIVE or st == "proposed":
                if _NEGATED.search(before):
                    st = {"committed": "declined", "planned": "no_plans", "proposed": None}.get(st, "not_using")
                    weight = 0.75
                elif "continu" in before[-20:] or low.startswith("continu", s):
                    pass
                elif _MODAL.search(before) and st != "committed":
                    st, weight = "planned", 0.9
                elif _MODAL.search(before):
                    st, weight = "planned", 0.85
                if _CONDITIONAL.search(before):
                    weight -= 0.25
            if _WHETHER.search(before):
                continue  # "declined to say whether it used ANPR" asserts nothing
            if st is None:
                continue
            if st in ("declined", "not_using") and re.search(r"^[^.;]{0,80}?\buntil\b", low[e:end]):
                st = "paused"  # "would not deploy the kiosks until ..." stops for now
            taken.append((s, e))
            out.append(Cue(s, e, st, weight))
    out.sort(key=lambda c: c.start)
    return out


def best(cues: list[Cue]) -> Cue | None:
    """The strongest cue of a clause (earliest in `STATUS_CUES`; planned ranks with committed)."""
    if not cues:
        return None

    def rank(c):
        r = _ORDER.get(c.status, _ORDER["committed"] + 0.5)
        return (r, -c.weight, c.start)
    return min(cues, key=rank)


ACTION_RE = re.compile(
    r"\b(?:launch(?:ed|es|ing)?|open(?:ed|s|ing)?|announc(?:ed|es|ing))\s+(?:an?\s+|its\s+|the\s+)?(?:\w+\s+){0,2}?"
    r"(?:investigation|inquiry|review|consultation|legal\s+challenge|judicial\s+review|campaign|petition|"
    r"audit|probe)\b|"
    r"\b(?:released|publish(?:ed|es|ing)|issu(?:ed|es|ing)|produced)\s+(?:an?\s+|its\s+|the\s+|new\s+)?"
    r"(?:\w+[\s-]+){0,3}?(?:report|study|guidance|review|code|framework|letter|audit|analysis|"
    r"findings|opinion|assessment|policy|legal\s+opinion|evaluation)\b|"
    r"\b(?:fac(?:ing|es|ed)|brought|bring(?:s|ing)?|launch(?:ed|ing)|won|lost|fil(?:ed|ing)|lodg(?:ed|ing)|"
    r"mount(?:ed|ing))\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:legal\s+challenge|judicial\s+review|lawsuit|"
    r"legal\s+action|case|appeal|complaint|claim)\b|"
    r"\b(?:took|taking|take|takes)\s+(?:\w+\s+){0,3}?(?:to\s+court|legal\s+action)\b|"
    r"\b(?:wrote|writes|written)\s+to\b|\b(?:sued|suing|sues)\b|\bfined\b|\b(?:issued|served)\s+"
    r"(?:an?\s+)?(?:enforcement\s+notice|reprimand|fine|warning)\b|\bcomplain(?:ed|s)?\s+to\b|"
    r"\b(?:submitted|lodged|made|sent)\s+(?:an?\s+)?(?:complaint|freedom\s+of\s+information\s+request|foi\s+request)\b|"
    r"\b(?:commissioned|awarded)\s+(?:an?\s+)?(?:\w+\s+){0,3}?(?:contract|study|review|evaluation|research)\b|"
    r"\b(?:approved|secured|allocated|provided|agreed)\s+(?:\w+\s+){0,2}?(?:funding|money|a\s+budget|the\s+purchase)\b|"
    r"\b(?:provid|giv|grant|award|allocat|invest)(?:es|ing|ed|s|e)?\s+(?:(?:a|an|the|some|more\s+than|over|almost)\s+)?"
    r"(?:£|\$|€)\s?\d|"
    r"\b(?:bought|purchased|procured)\b|(?<![-\w])funded\b(?!\s+by)|"
    r"\b(?:investigation|inquiry|probe)\s+(?:[\w'’-]+\s+){0,12}?(?:is|was|remains)\s+(?:continuing|ongoing|"
    r"under\s+way|open)\b|"
    r"\b(?:granted|refused)\s+permission\s+to\s+appeal\b|\bappealed\b|(?<!not\sbeen\s)(?<!not\s)(?<!never\s)\bconsulted\b|"
    r"\b(?:dismissed|upheld|quashed|overturned|rejected)\s+(?:[\w'’]+\s+){0,3}?(?:challenge|appeal|case|claim|"
    r"complaint|decision|ruling|application)\b")



def normative(low: str, start: int, end: int) -> bool:
    return _NORMATIVE.search(low, start, end) is not None
