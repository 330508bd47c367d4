"""Who says it: speech attribution in a sentence.

Handles "X said", "X, role at Y, added:", "“…,” said X", "according to X", "X told Y",
"X's response, dated 8 August, said", "the reply from X, …, confirmed", passive
"named by X" / "seen by X", a spokesperson of X, surnames and pronouns ("She added").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.extract.mentions import Mention, Ref

SPEECH = (r"said|says|say|told|tells|tell|added|adds|confirmed|confirms|stated|states|claimed|"
          r"claims|insisted|insists|argued|argues|warned|warns|wrote|writes|disclosed|admitted|"
          r"admits|acknowledged|acknowledges|explained|explains|noted|notes|suggested|suggests|"
          r"believes|believed|responded|replied|replies|answered|indicated|described|called\s+for|"
          r"calls\s+for|urged|urges|criticised|criticized|welcomed|welcomes|commented|maintained|"
          r"maintains|stressed|emphasised|highlighted|pointed\s+out|raised\s+concerns|questioned|"
          r"ruled|rules|found|concluded|concludes|held|declared|announced|announces|denied|denies|"
          r"cited|cites|citing|named|names|reported|reports|revealed|reveals|supplied\s+evidence|"
          r"gave\s+evidence|giving\s+evidence|told\s+mps|informed|assured|conceded|promised|pledged|"
          r"called\s+on|calls\s+on|rejected|rejects|opposed|opposes|backed|backs|answered|written|signed")
ACTS = r"released|releases|published|publishes|launched|launches|launching|issued|issues|seen|obtained"
VERB_RE = re.compile(rf"\b(?:according\s+to|{SPEECH}|{ACTS})\b", re.IGNORECASE)
ACT_VERBS = set(ACTS.split("|"))
PASSIVE_OK = {"named", "cited", "seen", "obtained", "published", "released", "reported", "confirmed",
              "announced", "commissioned", "revealed", "described", "criticised", "identified",
              "listed", "quoted", "told", "issued", "said", "informed", "ruled", "found", "held",
              "answered", "stated", "written", "signed", "made"}

BETWEEN_RE = re.compile(
    r"^(?:\s*\([A-Za-z&.]{2,10}\))?(?:['’]s)?(?:\s+(?:own\s+)?(?:spokes(?:person|man|woman)|office|press\s+office|response|"
    r"responses|reply|replies|letter|statement|report|submission|website|official|officials|"
    r"lawyers?|solicitors?|counsel|chief|chiefs|head|director|team|boss|bosses|leadership|"
    r"foi\s+response|freedom\s+of\s+information\s+(?:\(foi\)\s+)?response|written\s+(?:answer|response)|"
    r"answer|evidence|guidance|policy|document|documents|minutes|paper|analysis|review|assessment|"
    r"judgment|judges|ruling|decision|representative|representatives|force|service|chairman|chair))*"
    r"\s*(?:,[^\"“”]{0,200},)?(?:\s+(?:has|have|had|also|subsequently|later|previously|then|now|"
    r"recently|earlier|separately|further|itself|last\s+\w+|this\s+\w+|on\s+\w+|in\s+\w+|yesterday|"
    r"today|only|already|publicly|repeatedly|once|again|however|initially|originally|first|"
    r"has\s+since|since))*\s*$", re.IGNORECASE)
INVERTED_RE = re.compile(
    r"^\s+(?:(?:a|an|the)\s+)?(?:(?:spokes\w+|representative|statement|official|lawyer|source)\s+"
    r"(?:for|from|of|at)\s+(?:the\s+)?)?$", re.IGNORECASE)
SPOKES_RE = re.compile(r"\b(?:a|the)\s+(?:police\s+|force\s+)?(?:spokes(?:person|man|woman)|"
                       r"representative)\s*$", re.IGNORECASE)
_ROLE_WORDS = re.compile(r"^\s+(?:[\w’'-]+\s+){0,4}$")


@dataclass
class Attribution:
    ref: Ref
    verb: str
    verb_span: tuple[int, int]
    exclude: list[tuple[int, int]] = field(default_factory=list)  # the speaker's words
    how: str = "explicit"  # explicit | passive | inverted | spokesperson
    speech: bool = True
    confidence: float = 1.0


def _inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


def _prefer_person(m: Mention, mentions: list[Mention], view: str) -> Mention:
    """"said Liberty lawyer Megan Goulding": the person, not the organisation before it."""
    if m.ref is None or m.ref.type == "Person":
        return m
    for n in mentions:
        if n.start >= m.end and n.start - m.end <= 40 and n.ref is not None and n.ref.type == "Person":
            if _ROLE_WORDS.match(view[m.end:n.start]):
                return n
        if n.start > m.end + 40:
            break
    return m


def find_speaker(view: str, start: int, end: int, mentions: list[Mention],
                 quotes: list[tuple[int, int]], recent_speaker=None) -> Attribution | None:
    """The first attribution in view[start:end] outside ``quotes`` that names a speaker.

    ``mentions`` are the mentions of the whole text sorted by start, each resolved.
    """
    local = [m for m in mentions if start <= m.start < end and m.ref is not None]
    for vm in VERB_RE.finditer(view, start, end):
        if _inside(vm.start(), quotes):
            continue
        verb = re.sub(r"\s+", " ", vm.group().lower())
        speech = verb not in ACT_VERBS
        if verb == "according to":
            for m in local:
                if m.start >= vm.end() and m.start - vm.end() < 70 and re.match(
                    r"^\s+(?:(?:the|a|an)\s+)?(?:(?:[a-z][\w-]*|[A-Z][a-z]+)\s+){0,5}?(?:(?:obtained|published|"
                    r"released|compiled|seen|gathered)\s+by\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3})?$",
                    view[vm.end():m.start]):
                    m = _prefer_person(m, mentions, view)
                    return Attribution(m.ref, verb, vm.span(), [(vm.start(), m.end)], "explicit", True)
            continue
        after = view[vm.end():vm.end() + 60]
        pm = re.match(r"\s+(?:on\s+[\w ,]{1,30}?\s+)?by\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}", after)
        if pm:
            if verb.split()[0] not in PASSIVE_OK:
                continue
            at = vm.end() + pm.end()
            for m in local:
                if m.start >= vm.end() and m.start <= at + 2:
                    m = _prefer_person(m, mentions, view)
                    return Attribution(m.ref, verb, vm.span(), [(vm.start(), m.end)], "passive",
                                       speech or verb == "seen")
            continue
        # Active: the nearest mention before the verb with only an apposition between.
        before = [m for m in local if m.end <= vm.start()]
        for m in reversed(before):
            between = view[m.end:vm.start()]
            if len(between) > 230:
                break
            if not m.subject_ok and m.how != "pronoun":
                continue  # an affiliation inside a person's apposition, or a modifier
            # "The Surveillance Camera Commissioner, Tony Porter, welcomed": the person in apposition.
            appositive = (re.fullmatch(r",\s*", between) is not None and m.ref.type == "Person"
                          and re.search(r",\s*$", view[max(start, m.start - 3):m.start]) is not None)
            if BETWEEN_RE.match(between) or appositive:
                conf = 1.0 if m.how in ("name", "alias", "person", "unresolved") else 0.9
                return Attribution(m.ref, verb, vm.span(), [(m.start, vm.end())], "explicit", speech, conf)
        # Inverted: “…,” said X / said a spokesperson for X.
        for m in local:
            if m.start < vm.end():
                continue
            if m.start - vm.end() > 45:
                break
            if INVERTED_RE.match(view[vm.end():m.start]):
                m = _prefer_person(m, mentions, view)
                return Attribution(m.ref, verb, vm.span(), [(vm.start(), m.end)], "inverted", speech)
        if speech and SPOKES_RE.search(view[max(start, vm.start() - 40):vm.start()]):
            # "Surrey Police has never used it, a spokesman said": the organisation just named.
            named = [m for m in before if m.ref.type in ("Force", "Body") and m.subject_ok]
            ref = named[-1].ref if named else recent_speaker
            if ref is not None:
                return Attribution(ref, verb, vm.span(), [], "spokesperson", True, 0.8 if named else 0.6)
    return None
