"""Finding forces, bodies, people and technologies in text.

Names come from the gazetteer (`loaders.gazetteer`), its aliases, short forms of
force names ("Kent" for Kent Police is an alias there), people introduced in the
article ("Hannah Couchman, policy and campaigns officer at ..."), descriptions that
refer back ("the Welsh force", "the watchdog", "both forces", "she") and organisations
that look like one but are not in the gazetteer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from loaders.gazetteer import Entity, Gazetteer, builtin, normalise_name, slug


def name_key(name: str) -> str:
    """The folded form names are compared in (the gazetteer's own rule).

    >>> name_key("the Met’s")
    'met'
    """
    return normalise_name(name)


@dataclass
class Ref:
    """Something a mention can denote: a gazetteer entity or one found in the article."""

    id: str
    name: str
    type: str  # Force | Body | Person
    kind: str | None = None
    nation: str | None = None
    role: str | None = None
    member_of: str | None = None  # a Ref id
    builtin: bool = True
    aliases: list[str] = field(default_factory=list)


@dataclass
class Mention:
    start: int
    end: int
    ref: Ref | None  # None for a pronoun not yet resolved
    how: str  # name | alias | short | surname | descriptor | pronoun | unresolved | person
    subject_ok: bool = True  # False for a modifier ("Home Office-funded") or a role
    text: str = ""


def ref_of(e: Entity) -> Ref:
    return Ref(e.id, e.name, e.type, e.kind, e.nation, e.role, e.member_of, e.builtin,
               list(e.aliases))


# Last words that make a lower-case multi-word alias safe to match ("the biometrics
# commissioner"); "fair trials" in lower case is not the NGO.
_INSTITUTIONAL = {"commissioner", "committee", "office", "service", "council", "commission",
                  "government", "ministers", "regulator", "inspectorate", "police",
                  "constabulary", "court", "agency", "authority", "department", "ministry",
                  "board", "panel", "group", "unit", "college", "watch"}
_ACRONYM = re.compile(r"^[A-Z0-9&]{2,6}s?$")


def _alias_pattern(alias: str) -> str:
    parts = re.split(r"\s+", alias.strip())
    out = []
    for p in parts:
        p = re.escape(p)
        p = p.replace("'", "['\u2019]").replace("\\-", "[-\u2010-\u2015 ]")
        out.append(p)
    return r"\s+".join(out)


@dataclass
class _Matcher:
    """Aliases grouped by their first two letters; each word start tries only its group.

    One alternation of every alias would be tried at every position of the text; the
    groups make a scan about ten times faster (benchmarks/bench_extract.py).
    """

    ci: dict[str, re.Pattern]  # first two letters, lower-cased -> pattern (ignoring case)
    cs: dict[str, re.Pattern]  # first two letters as written -> pattern (case-sensitive)
    table: dict[str, tuple[str, str, bool]]  # folded surface -> (ref id, how, lower_ok)

    def finditer(self, view: str):
        """(case-insensitive?, match) for every alias written in ``view``, leftmost-longest."""
        for insensitive, groups in ((True, self.ci), (False, self.cs)):
            if not groups:
                continue
            pos = 0
            for ws in _WORD_START.finditer(view):
                p = ws.start()
                if p < pos:
                    continue
                key = view[p:p + 2]
                rx = groups.get(key.lower() if insensitive else key)
                if rx is None:
                    continue
                hit = rx.match(view, p)
                if hit:
                    pos = hit.end()
                    yield insensitive, hit


_WORD_START = re.compile(r"(?<![\w-])\w")


def _build(names: list[tuple[str, str, str]]) -> _Matcher:
    """``names``: (surface form, ref id, how)."""
    ci, cs, table = [], [], {}
    for surface, rid, how in names:
        s = surface.strip()
        if not s or len(s) < 2:
            continue
        words = s.split()
        lower_ok = s.islower() or (len(words) > 1 and words[-1].lower() in _INSTITUTIONAL)
        key = _fold(s)
        if key in table:
            continue
        table[key] = (rid, how, lower_ok)
        if len(words) == 1 and not s.islower():
            cs.append(s)
        else:
            ci.append(s)

    def groups(items, flags):
        by_key: dict[str, list[str]] = {}
        for a in set(items):
            key = a.replace("\u2019", "'")[:2]
            by_key.setdefault(key.lower() if flags else key, []).append(a)
        return {k: re.compile(r"(?:" + "|".join(_alias_pattern(a) for a in sorted(v, key=len, reverse=True))
                              + r")(?![\w]|-(?!funded|led|backed|run|owned|based|commissioned|wide))", flags)
                for k, v in by_key.items()}
    return _Matcher(groups(ci, re.IGNORECASE), groups(cs, 0), table)


def _fold(s: str) -> str:
    return re.sub(r"[\s\-\u2010-\u2015]+", " ", s.replace("\u2019", "'")).casefold().strip()


_MODIFIER_AFTER = re.compile(r"^[-\u2010-\u2015](?:funded|led|backed|run|owned|commissioned|"
                             r"sponsored|supported|style|wide|based)\b", re.IGNORECASE)


def _scan(m: _Matcher, view: str, refs: dict[str, Ref]) -> list[Mention]:
    found = []
    for insensitive, hit in m.finditer(view):
        if True:
            surface = hit.group()
            rid, how, lower_ok = m.table.get(_fold(surface), (None, None, False))
            if rid is None:
                continue
            if surface.islower() and not lower_ok and insensitive:
                continue
            # "government" after a nation or party is not the UK Home Office.
            if rid == "home-office" and surface.lower() == "government":
                before = view[max(0, hit.start() - 12):hit.start()]
                if re.search(r"(?:Welsh|Scottish|Irish|local|foreign|Chinese|US|French|Labour|"
                             r"Tory|Conservative|coalition|previous|Israeli|Indian|Russian)\s+$",
                             before):
                    continue
            mention = Mention(hit.start(), hit.end(), refs[rid], how, text=surface)
            if _MODIFIER_AFTER.match(view[hit.end():hit.end() + 14]):
                mention.subject_ok = False
            found.append(mention)
    return found


@dataclass
class Lexicon:
    """The gazetteer turned into matchers, built once per process."""

    gazetteer: Gazetteer
    refs: dict[str, Ref]
    entity_matcher: _Matcher
    tech_matcher: _Matcher
    tech_names: dict[str, str]  # technology id -> canonical name
    tech_broader: dict[str, tuple[str, ...]]
    tech_alt: str = ""  # the regex alternation of technology words, built on first use


@functools.cache
def default_lexicon() -> Lexicon:
    return make_lexicon(builtin())


def make_lexicon(g: Gazetteer) -> Lexicon:
    refs = {e.id: ref_of(e) for e in g.entities.values()}
    names = []
    for e in g.entities.values():
        names.append((e.name, e.id, "name"))
        if e.name.lower().startswith("the "):
            names.append((e.name[4:], e.id, "name"))
        for a in e.aliases:
            how = "alias"
            if e.type == "Person" and len(a.split()) == 1:
                how = "surname"
            elif e.type == "Force" and len(a.split()) <= 2 and not _ACRONYM.match(a) \
                    and not re.search(r"Police|Constabulary", a):
                how = "short"
            names.append((a, e.id, how))
    techs = []
    for t in g.technologies.values():
        for n in (t.name, *t.aliases):
            techs.append((n, t.id, "tech"))
            if not _ACRONYM.match(n) and not n.endswith("s") and len(n.split()) == 1:
                techs.append((n + "s", t.id, "tech"))
    return Lexicon(g, refs, _build(names), _build(techs),
                   {t.id: t.name for t in g.technologies.values()},
                   {t.id: t.broader for t in g.technologies.values()})


# --- people introduced in the article ------------------------------------------------

ROLE_NOUNS = (r"officer|director|chief|head|commissioner|constable|superintendent|inspector|"
              r"sergeant|minister|secretary|spokesperson|spokesman|spokeswoman|chair|chairman|"
              r"chairwoman|chairperson|president|lawyer|solicitor|barrister|counsel|judge|"
              r"researcher|professor|lecturer|analyst|campaigner|manager|adviser|advisor|"
              r"advocate|founder|co-founder|executive|editor|correspondent|MP|MEP|peer|"
              r"councillor|mayor|leader|member|deputy|assistant|coordinator|lead|fellow|"
              r"investigator|expert|scientist|engineer|detective|justice|lord justice|dame|"
              r"governor|controller|registrar|auditor|ombudsman|clerk|representative|"
              r"campaigns? officer|chief executive|chief constable|ceo|cto|vice-president|convener|convenor|"
              r"partner|principal|owner|coordinator|officer")
_TITLE_WORDS = {"Dr", "Prof", "Professor", "Sir", "Dame", "Lord", "Lady", "Baroness", "Mr", "Mrs",
                "Ms", "Miss", "Detective", "Chief", "Superintendent", "Inspector", "Constable",
                "Sergeant", "Assistant", "Deputy", "Commissioner", "Supt", "Insp", "Sgt", "DCI",
                "DI", "DS", "DC", "PC", "ACC", "DCC", "Det", "Ch", "Justice", "Mr.", "Mrs.", "Dr.",
                "Temporary", "Acting", "Commander", "Councillor", "Cllr"}
_NOT_NAME = {"The", "A", "An", "In", "On", "At", "By", "For", "From", "Of", "To", "And", "But",
             "However", "Police", "Home", "Office", "Freedom", "Information", "Court", "Appeal",
             "High", "Facial", "Recognition", "Live", "Government", "Ministers", "Minister",
             "Related", "Content", "Article", "Image", "Photograph", "England", "Wales",
             "Scotland", "London", "British", "UK", "National", "This", "That", "These", "Those",
             "It", "He", "She", "They", "We", "Our", "His", "Her", "Their", "Its", "Last", "Next",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
             "January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December", "Force", "Service", "Council",
             "Committee", "Commission", "Department", "Ministry", "Metropolitan", "Street",
             "Road", "Cross", "Square", "Centre", "Park", "Station", "Parliament", "House",
             "Lords", "Commons", "Act", "Bill", "Data", "Protection", "Human", "Rights",
             "Convention", "Section", "Chief", "Mr", "Mrs", "Ms", "Dr", "Crime",
             "Agency", "Group", "Watch", "University", "Big", "Brother", "Privacy", "Open",
             "Digital", "Biometrics", "Surveillance", "Camera", "South", "North", "West", "East",
             "Kings", "King", "Queen", "Christmas", "Notting", "Hill", "Carnival", "AFR",
             "LFR", "FOI", "Transport"}
_NAME_TOKEN = r"(?:Mc|Mac|O['\u2019]|De|Di|Le|La|Van)?[A-Z][a-z]+(?:[-'\u2019][A-Z]?[a-z]+)*"
NAME_RE = re.compile(rf"(?<![\w'])(?:(?:{'|'.join(sorted(map(re.escape, _TITLE_WORDS), key=len, reverse=True))})\.?\s+)*"
                     rf"(?P<name>{_NAME_TOKEN}(?:\s+(?:(?:de|van|von|da|di|le|al|bin)\s+)?{_NAME_TOKEN}){{1,2}})"
                     rf"(?![\w])")
_SAYS = (r"said|says|added|adds|told|tells|warned|argued|explained|insisted|claimed|wrote|"
         r"stated|commented|confirmed|announced|noted|believes|acknowledged|admitted|replied|"
         r"responded|urged|described")
_ROLE_AFTER = re.compile(rf"^,\s+(?:(?:a|an|the)\s+)?(?P<role>[^,“”\"]{{0,80}}?\b(?:{ROLE_NOUNS})s?\b)"
                         rf"(?:\s+(?:at|of|for|from|with|in)\s+(?P<org>[^,“”\"]{{2,120}}?))?\s*(?:,|\)|\s+(?:{_SAYS})\b)",
                         re.IGNORECASE)
_ROLE_BEFORE = re.compile(rf"(?P<role>(?:\b[\w’'-]+\s+){{0,3}}\b(?:{ROLE_NOUNS}))\s+$", re.IGNORECASE)
_SAYS_AFTER = re.compile(rf"^\s+(?:(?:has|had|also|later|then)\s+)*(?:{_SAYS})\b")
_ROLE_PAREN = re.compile(rf"^\s*\((?P<role>[^()]{{0,80}}?\b(?:{ROLE_NOUNS}|Central|North|South|East|West|"
                         rf"Conservative|Labour|Liberal\s+Democrats?|Lab|Con|LD|SNP)\b[^()]{{0,60}})\)", re.IGNORECASE)
_SAYS_APPOSED = re.compile(rf"^,[^,“”\"]{{0,120}},\s+(?:(?:has|had|also)\s+)*(?:{_SAYS})\b")
_SAYS_BEFORE = re.compile(rf"\b(?:{_SAYS})\s+$")


@dataclass
class PersonFound:
    name: str
    start: int
    end: int
    role: str | None
    org_span: tuple[int, int] | None  # where the affiliation is written
    role_span: tuple[int, int] | None


def find_people(view: str, taken: list[tuple[int, int]]) -> list[PersonFound]:
    """People named in the text who are introduced with a role or quoted."""
    out = []

    def overlaps(a, b):
        return any(s < b and a < e for s, e in taken)

    for m in NAME_RE.finditer(view):
        s, e = m.span("name")
        name = m.group("name")
        toks = re.split(r"\s+", name)
        peer = None
        while toks and toks[0].rstrip(".") in _TITLE_WORDS:
            if toks[0] in ("Baroness", "Lord", "Lady", "Dame", "Sir"):
                peer = toks[0]
            toks = toks[1:]
        if len(toks) == 1 and peer and toks[0] not in _NOT_NAME:
            toks = [peer, *toks]  # "Baroness Hamwee" is a whole name
        if len(toks) < 2 or any(t in _NOT_NAME for t in toks[1 if peer else 0:]):
            continue
        if overlaps(s, e):
            continue
        after = view[e:e + 200]
        before = view[max(0, s - 60):s]
        role = org_span = role_span = None
        ra = _ROLE_AFTER.match(after)
        rb = _ROLE_BEFORE.search(before)
        rp = _ROLE_PAREN.match(after)
        if ra:
            role = ra.group("role").strip()
            role_span = (e + ra.start("role"), e + ra.end("role"))
            if ra.group("org"):
                org_span = (e + ra.start("org"), e + ra.end("org"))
        elif rp:
            role = rp.group("role").strip()
            role_span = (e + rp.start("role"), e + rp.end("role"))
        elif rb and not re.search(r"[.!?]", rb.group()):
            role = rb.group("role").strip()
            role_span = (s - len(before) + rb.start("role"), s - len(before) + rb.end("role"))
        elif not (_SAYS_AFTER.match(after) or _SAYS_BEFORE.search(before) or _SAYS_APPOSED.match(after)):
            continue
        out.append(PersonFound(" ".join(toks), s, e, role, org_span, role_span))
    return out


# --- organisations not in the gazetteer ------------------------------------------------

_ORG_HEAD = (r"Police|Constabulary|Council|Commission|Committee|Office|Ministry|Department|"
             r"Authority|Agency|Service|Court|Tribunal|Watch|Trust|Group|Ltd|Limited|plc|PLC|"
             r"University|Institute|Association|Union|Board|Foundation|Partnership|Unit|Panel|"
             r"Network|Bureau|Society|Federation|Corporation|Inspectorate|Commissioner|"
             r"Executive|Directorate|Programme|Forum|Coalition|Alliance|Project")
_CAP = r"(?:[A-Z][\w’'&.-]*)"
ORG_RE = re.compile(rf"(?<![\w])(?:{_CAP}\s+(?:(?:of|and|for|the|&|on)\s+)*)+?(?:{_ORG_HEAD})(?![\w])"
                    rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:\s+{_CAP})*)?")
_ORG_STOP = {"The", "A", "An", "In", "On", "At", "By", "For", "From", "Of", "To", "And", "But",
             "However", "Last", "This", "That", "Both", "Another", "Ministers", "Related",
             "Article", "When", "While", "After", "Before", "Since", "If", "Its", "Their"}


def find_orgs(view: str) -> list[tuple[int, int, str]]:
    out = []
    for m in ORG_RE.finditer(view):
        s, e = m.span()
        words = view[s:e].split()
        while words and words[0] in _ORG_STOP:
            s = view.index(words[0], s) + len(words[0])
            while view[s].isspace():
                s += 1
            words = words[1:]
        if len(words) < 2:
            continue
        out.append((s, e, view[s:e]))
    return out


def new_ref(name: str, etype: str, kind: str | None = None, **kw) -> Ref:
    return Ref("x-" + slug(name), name, etype, kind, builtin=False, **kw)

