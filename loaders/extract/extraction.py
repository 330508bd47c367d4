"""The extraction pass: an article's text in, draft statements out (see `sheet` for the sheet).

One pass over the normalised text (issue 3):

1. mentions: gazetteer names and aliases, people introduced with a role, organisations
   not in the gazetteer, then descriptions that refer back ("the Welsh force", "both
   forces", "the watchdog", "she");
2. paragraphs: quotations that stand alone (blocks) are told from words quoted inside a
   sentence (fragments); narrative sentences are split around the fragments;
3. each sentence: who says it (`attribution.find_speaker`, else the publisher), status
   cues per clause (`classify`), metrics, actions, else reported speech as a position;
   words inside a fragment belong to the sentence's subject unless someone is named;
4. each block: its speaker from the sentence before or after it, else the paragraph's
   or the last one quoted; statuses per clause, actions, else one position;
5. a paragraph ending in ":" that names a speaker ("Answered by X:") makes the next
   paragraphs X's words; a bare "Yes." / "No." takes its claim from the question before.

Dates come from `dates.find_dates` in reading order; a claim's ``stated`` is the date
attached to its saying, the publication date when the publisher says it or no date is
attached. What the pass is unsure of goes to the sheet's ``review`` list.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from loaders.extract import classify
from loaders.extract.attribution import SPEECH, Attribution, find_speaker
from loaders.extract.dates import find_dates, parse_published
from loaders.extract.mentions import (
    _ROLE_AFTER,
    _ROLE_BEFORE,
    Lexicon,
    Mention,
    Ref,
    _fold,
    _scan,
    default_lexicon,
    find_orgs,
    find_people,
    name_key,
    new_ref,
)
from loaders.extract.text import (
    Paragraph,
    Quote,
    find_quotes,
    match_view,
    paragraphs,
    sentences,
    trim,
)

_SPEECH_RE = re.compile(rf"\b(?:{SPEECH})\b", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(r",\s+(?:and|but|while|whereas|although|though|yet)\s+|;\s+|\s+but\s+|"
                           r"\s+and\s+(?=(?:plans|intends|will|would|is|are|was|were|has|have|had|hopes|expects|"
                           r"aims|remains|remained|said|says|added|confirmed)\b)|"
                           r",\s+however,?\s+|\s+while\s+|\s+whereas\s+")

_DESCRIPTORS = [
    ("pair", re.compile(r"\b(?:both\s+forces|the\s+two\s+forces|both\s+of\s+the\s+forces)\b", re.I)),
    ("force", re.compile(r"\b(?:the|this|that)\s+(?:(?P<adj>[\w-]+)\s+)?(?:force|constabulary)\b(?!\s+(?:of|for))", re.I)),
    ("regulator", re.compile(r"\b(?:the|this)\s+(?:(?P<adj>[\w-]+)\s+)?(?:watchdog|regulator)\b", re.I)),
    ("commissioner", re.compile(r"\b(?:the|this)\s+commissioner\b(?!\s+for)", re.I)),
    ("government", re.compile(r"\b(?:the\s+department|the\s+ministry)\b", re.I)),
    ("ngo", re.compile(r"\b(?:the|this)\s+(?:(?:civil\s+liberties|human\s+rights|privacy|campaign|pressure|"
                       r"rights)\s+)?(?:group|charity|campaigners|organisation|organization|ngo)\b", re.I)),
    ("court", re.compile(r"\b(?:the\s+(?:court|judges?))\b", re.I)),
    ("company", re.compile(r"\b(?:the\s+(?:company|firm|supplier|vendor|manufacturer))\b", re.I)),
    ("parliament", re.compile(r"\bthe\s+committee\b", re.I)),
    ("pronoun", re.compile(r"\b(?:he|she)\b", re.I)),
    ("itpron", re.compile(r"\b(?:it|they)\b(?=\s+(?:also\s+|later\s+|had\s+|has\s+|have\s+|then\s+)*"
                          r"(?:said|says|added|told|confirmed|stated|held|found|ruled|concluded|argued|warned|"
                          r"announced|insisted|claimed|noted|denied|welcomed|admitted|wrote|replied)\b)", re.I)),
]
_ADJ_NATION = {"welsh": "Wales", "scottish": "Scotland", "english": "England", "northern": None}
_ADJ_KIND = {"national": {"special", "national"}, "special": {"special"}, "territorial": {"territorial"}}
_DESC_KINDS = {"regulator": {"regulator", "commissioner"}, "commissioner": {"commissioner", "regulator"},
               "government": {"government"}, "ngo": {"ngo"}, "court": {"court"}, "company": {"company"},
               "parliament": {"parliament"}}
_ANAPHORIC = re.compile(r"\s*(?:of\s+|to\s+)?(?:follow(?:ing|s|ed)?\s+suit|do(?:ing|es)?\s+(?:the\s+same|"
                        r"likewise)|the\s+same)\b")
_FUTURE = re.compile(r"\b(?:will|'ll|shall|is\s+to|are\s+to|set\s+to|due\s+to|going\s+to|plans?\s+to|planning\s+to)\s+"
                     r"(?!have\b)")
_POLICE_RANK = re.compile(r"\b(?:constable|superintendent|inspector|sergeant|detective|commander|"
                          r"chief\s+officer|police\s+officer|officer\s+in\s+charge)\b", re.I)
_LONE_SPEAKER = re.compile(r"(?<![\w’'-])(?P<name>[A-Z][a-z]{2,}|[A-Z]{2,6})(?=\s+(?:has\s+|had\s+|also\s+)?"
                           r"(?:said|says|told|added|confirmed|stated|insisted|claimed)\b)")
_LONE_STOP = {"She", "He", "It", "They", "We", "This", "That", "Police", "Ministers", "Officials",
              "Campaigners", "Critics", "Sources", "Officers", "Experts", "Researchers", "Government",
              "Spokesperson", "Spokesman", "Spokeswoman", "Who", "Which", "There", "Others", "Some",
              "Many", "Both", "Neither", "Everyone", "Nobody", "Someone", "Lawyers", "Residents",
              "Activists", "Judges", "Council", "Court", "Committee", "Chief", "Force", "Statement",
              "Report", "Analysis", "Figures", "Data", "Documents", "Emails", "Minutes", "Letters",
              "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today",
              "Yesterday", "Also", "And", "But", "However", "Meanwhile", "Separately", "Instead"}
_PARTNER = re.compile(r"\b(?:with|alongside)\s+(?:the\s+)?$")
_ANSWER = re.compile(r"\s*(?:A\d*\s*[.:)]\s*|Answer\s*:\s*|Response\s*:\s*)?(?P<yn>Yes|No)\b[.,;:!]?", re.I)
_REQUEST = re.compile(r"\s*(?:(?:question|q|request|part)\s*\d+[a-z]?\s*[:.)-]|please\s+(?:provide|supply|"
                      r"confirm|state|list|send|disclose|tell)|i\s+(?:would\s+like|am\s+writing|request))", re.I)


def _lower(view: str) -> str:
    low = view.lower()
    if len(low) != len(view):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in view)
    return low


@dataclass
class Draft:
    speaker: Ref
    about: list[Ref]
    kind: str
    status: str | None
    span: tuple[int, int]
    quote: bool
    stated: str | None
    confidence: float
    notes: list[str] = field(default_factory=list)
    technology: str | None = None
    metric: dict | None = None


class Extraction:
    """One pass over one article. `run` returns the drafts; `sheet` the claim sheet."""

    def __init__(self, article, lexicon: Lexicon | None = None):
        self.article = article
        self.text = article.text
        self.view = match_view(self.text)
        self.low = _lower(self.view)
        self.cue_low = self.low.replace('"', " ")
        self.lex = lexicon or default_lexicon()
        self.source = dict(article.source or {})
        self.pub = parse_published(self.source.get("published"))
        self.unresolved: dict[str, Ref] = {}
        self.people: dict[str, Ref] = {}
        self._surnames: dict[str, str] = {}
        self.held_back: list[dict] = []
        self._last_quote_drafts: list[Draft] = []
        self.publisher = self._publisher()

    # --- names -------------------------------------------------------------------------

    def _publisher(self) -> Ref:
        name = self.source.get("publisher") or ""
        if name:
            for e in self.lex.gazetteer.lookup(name):
                return self.lex.refs[e.id]
            ref = new_ref(name, "Body", "media")
            self.unresolved[name_key(name)] = ref
            return ref
        return new_ref("Unknown publisher", "Body", "media")

    def _find_mentions(self) -> list[Mention]:
        view = self.view
        ms = _scan(self.lex.entity_matcher, view, self.lex.refs)
        ms = _resolve_overlaps(ms)
        # Publisher not in the gazetteer: its name where written.
        if not self.publisher.builtin and self.source.get("publisher"):
            pname = re.sub(r"^the\s+", "", self.source["publisher"], flags=re.I)
            for m in re.finditer(rf"\b{re.escape(pname)}\b", view, re.I):
                ms.append(Mention(m.start(), m.end(), self.publisher, "name", text=m.group()))
        # Organisations that look like one but are not in the gazetteer.
        for s, e, name in find_orgs(view):
            inner = [m for m in ms if m.start < e and s < m.end]
            if any(m.end >= e - 1 and m.start <= s + 1 for m in inner):
                continue  # the gazetteer already knows it
            if any(m.end >= e - 1 for m in inner):
                continue  # "Kent and West Midlands Police": the head is a known entity
            if any(m.ref and m.ref.type == "Person" for m in inner):
                continue
            key = name_key(name)
            ref = self.unresolved.get(key)
            if ref is None:
                head = name.split()[-1]
                etype = "Force" if head in ("Police", "Constabulary") else "Body"
                ref = new_ref(name, etype)
                self.unresolved[key] = ref
                acro = re.match(r"\s*\(([A-Z][A-Za-z&]{1,7})\)", view[e:e + 12])
                if acro:
                    ref.aliases.append(acro.group(1))
            ms = [m for m in ms if m not in inner]
            ms.append(Mention(s, e, ref, "unresolved", text=name))
        for ref in list(self.unresolved.values()):
            for a in ref.aliases:
                for m in re.finditer(rf"\b{re.escape(a)}\b", view):
                    ms.append(Mention(m.start(), m.end(), ref, "alias", text=a))
        ms = _resolve_overlaps(ms)
        # People introduced in the article.
        taken = [(m.start, m.end) for m in ms]
        for p in find_people(view, taken):
            known = [e for e in self.lex.gazetteer.lookup(p.name) if e.type == "Person"]
            if known:
                ref = self.lex.refs[known[0].id]
            else:
                ref = self.people.get(name_key(p.name))
                if ref is None:
                    ref = new_ref(p.name, "Person", role=p.role)
                    ref.aliases.append(p.name.split()[-1])
                    self.people[name_key(p.name)] = ref
                if p.org_span and not ref.member_of:
                    org = [m for m in ms if p.org_span[0] <= m.start < p.org_span[1] and m.ref
                           and m.ref.type in ("Force", "Body")]
                    if org:
                        ref.member_of = org[-1].ref.id
                if p.role_span and not ref.member_of:
                    org = [m for m in ms if p.role_span[0] <= m.start < p.role_span[1] and m.ref
                           and m.ref.type in ("Force", "Body")]
                    if org:
                        ref.member_of = org[-1].ref.id
            if not ref.builtin and not ref.member_of and ref.role and _POLICE_RANK.search(ref.role):
                # "Assistant Chief Constable Mark Travis": an officer of the force just named.
                forces = [m.ref for m in ms if m.end <= p.start and m.ref is not None and m.ref.type == "Force"]
                if forces:
                    ref.member_of = forces[-1].id
                elif self.publisher.type == "Force":
                    ref.member_of = self.publisher.id
            ms.append(Mention(p.start, p.end, ref, "person", text=p.name))
        ms = _resolve_overlaps(ms)
        # Surnames of people named in the article, once named in full.
        extra: list[Ref] = []
        for m in ms:
            if m.ref is not None and m.ref.type == "Person" and m.ref.builtin and m.how in ("name", "alias", "person"):
                sur = m.ref.name.split()[-1]
                if sur not in m.ref.aliases and len(sur) > 2:
                    if m.ref not in extra:
                        extra.append(m.ref)
                    self._surnames.setdefault(m.ref.id, sur)
        for ref in [*self.people.values(), *extra]:
            for a in [*ref.aliases, self._surnames.get(ref.id)]:
                if not a:
                    continue
                for m in re.finditer(rf"(?<![\w-]){re.escape(a)}(?![\w-])", view):
                    if not any(x.start <= m.start() < x.end for x in ms):
                        ms.append(Mention(m.start(), m.end(), ref, "surname", text=a))
        # A lone capitalised name that speaks ("Argent said") is an organisation we do not know.
        taken = sorted((m.start, m.end) for m in ms)
        starts = [t[0] for t in taken]
        for m in _LONE_SPEAKER.finditer(view):
            s0, e0 = m.span("name")
            i = bisect.bisect_right(starts, s0)
            if (i and taken[i - 1][1] > s0) or m.group("name") in _LONE_STOP:
                continue
            if re.search(r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Lord|Lady|Dame)\.?\s+$", view[max(0, s0 - 6):s0]):
                continue
            name = m.group("name")
            key = name_key(name)
            ref = self.unresolved.get(key)
            if ref is None:
                ref = new_ref(name, "Body")
                self.unresolved[key] = ref
            ms.append(Mention(s0, e0, ref, "unresolved", text=name))
        ms.sort(key=lambda m: (m.start, -m.end))
        # Roles and affiliations written around a person are not subjects.
        for m in ms:
            if m.ref is not None and m.ref.type == "Person":
                after = _ROLE_AFTER.match(view[m.end:m.end + 200])
                if after:
                    hi = m.end + after.end()
                    for n in ms:
                        if m.end <= n.start < hi and n.ref is not m.ref:
                            n.subject_ok = False
                bef = _ROLE_BEFORE.search(view[max(0, m.start - 60):m.start])
                lo = m.start - 60 + (bef.start() if bef else 60)
                for n in ms:
                    if n.end <= m.start and (n.start >= lo or re.fullmatch(r"\s*", view[n.end:m.start])):
                        if n.ref is not m.ref and n.ref is not None and n.ref.type != "Person":
                            n.subject_ok = False
                            if m.ref.member_of is None and not m.ref.builtin:
                                m.ref.member_of = n.ref.id
        # An organisation written just before another one modifies it ("Home Office police digital service").
        for a, b in zip(ms, ms[1:], strict=False):
            if a.ref and b.ref and a.ref is not b.ref and re.fullmatch(r"\s+", view[a.end:b.start]):
                a.subject_ok = False
        ms = self._descriptors(ms)
        return ms

    def _descriptors(self, ms: list[Mention]) -> list[Mention]:
        view = self.view
        found = []
        spans = sorted((m.start, m.end) for m in ms)
        starts = [a for a, _ in spans]
        for kind, rx in _DESCRIPTORS:
            for m in rx.finditer(view):
                i = bisect.bisect_left(starts, m.end())
                if i and spans[i - 1][1] > m.start():
                    continue  # inside a name already found
                found.append((m.start(), m.end(), kind, (m.groupdict().get("adj") or "").lower(), m.group()))
        found.sort()
        allm = sorted(ms, key=lambda m: m.start)
        out = list(ms)
        for s, e, kind, adj, surface in found:
            prior = [m for m in allm[:bisect.bisect_left([x.start for x in allm], s)]
                     if m.end <= s and m.ref is not None]
            refs: list[Ref] = []
            if kind == "pair":
                seen: list[Ref] = []
                for m in reversed(prior):
                    if m.ref.type == "Force" and m.ref not in seen:
                        seen.append(m.ref)
                    if len(seen) == 2:
                        break
                refs = list(reversed(seen)) if len(seen) == 2 else []
            elif kind == "force" and not adj and self.publisher.type == "Force":
                refs = [self.publisher]  # a force's own statement: "the force" is the publisher
            elif kind == "force":
                cands = [m.ref for m in reversed(prior) if m.ref.type == "Force"]
                if adj in _ADJ_NATION and _ADJ_NATION[adj]:
                    cands = [r for r in cands if r.nation == _ADJ_NATION[adj]] or cands
                elif adj in _ADJ_KIND:
                    cands = [r for r in cands if r.kind in _ADJ_KIND[adj] or r.nation == "UK"] or cands
                elif adj and adj not in ("only", "same", "whole", "entire", "local", "police", "other"):
                    if adj in ("other", "neighbouring"):
                        cands = []
                if not cands and self.publisher.type == "Force":
                    cands = [self.publisher]
                refs = cands[:1]
            elif kind == "pronoun":
                cands = [m.ref for m in reversed(prior) if m.ref.type == "Person"]
                refs = cands[:1]
            elif kind == "itpron":
                cands = [m.ref for m in reversed(prior) if m.ref.type in ("Force", "Body")
                         and m.ref is not self.publisher and m.subject_ok]
                refs = cands[:1]
            else:
                kinds = _DESC_KINDS[kind]
                cands = [m.ref for m in reversed(prior) if m.ref.type == "Body" and m.ref.kind in kinds]
                if not cands and self.publisher.type == "Body" and self.publisher.kind in kinds:
                    cands = [self.publisher]
                refs = cands[:1]
            for r in refs:
                mm = Mention(s, e, r, "pronoun" if kind in ("pronoun", "itpron") else "descriptor",
                             text=surface)
                if kind in ("pronoun", "itpron"):
                    mm.subject_ok = False
                out.append(mm)
                bisect.insort(allm, mm, key=lambda m: m.start)
        out.sort(key=lambda m: (m.start, -m.end))
        return out

    # --- technologies --------------------------------------------------------------------

    def _find_techs(self):
        hits = []
        for _, m in self.lex.tech_matcher.finditer(self.view):
            rid, _, _ = self.lex.tech_matcher.table.get(_fold(m.group()), (None, None, None))
            if rid:
                hits.append((m.start(), m.end(), rid))
        # "the biometrics commissioner" names a body, not the technology.
        names = sorted((m.start, m.end) for m in self.mentions if m.how != "pronoun")
        starts = [a for a, _ in names]

        def in_name(a, b):
            i = bisect.bisect_right(starts, a)
            return any(x < b and a < y for x, y in names[max(0, i - 2):i + 1])
        hits = [h for h in hits if not in_name(h[0], h[1])]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, last = [], -1
        for h in hits:
            if h[0] >= last:
                out.append(h)
                last = h[1]
        return out

    def _depth(self, tid: str) -> int:
        d, seen, todo = 0, set(), [tid]
        while todo:
            t = todo.pop()
            for b in self.lex.tech_broader.get(t, ()):
                if b not in seen:
                    seen.add(b)
                    todo.append(b)
                    d += 1
        return d

    def _tech_in(self, s: int, e: int) -> str | None:
        ids = [t for a, b, t in self.techs if s <= a and b <= e]
        if not ids:
            return None
        return max(ids, key=lambda t: (self._depth(t), -ids.index(t)))

    # --- the pass ------------------------------------------------------------------------

    def run(self) -> list[Draft]:
        self.mentions = self._find_mentions()
        self.techs = self._find_techs()
        counts = Counter(t for _, _, t in self.techs)
        self.dominant = None
        if counts:
            top = max(counts.values())
            self.dominant = next(t for _, _, t in self.techs if counts[t] == top)
        self.drafts: list[Draft] = []
        # Dates resolve in reading order, each relative one against the one before it.
        self.all_dates = find_dates(self.view, 0, len(self.view), self.pub, self.pub)
        self.date_starts = [d.start for d in self.all_dates]
        self.cue_index = classify.index_cues(self.cue_low, self._tech_alt())
        self.last_quote_speaker: tuple[Ref, float] | None = None
        prev_ended_in_quote = False
        self.block_speaker: tuple[Ref, str | None] | None = None
        self.last_question: tuple[int, int] | None = None
        for para in paragraphs(self.text):
            para.quotes = find_quotes(self.text, para)
            body = self.text[para.start:para.end].rstrip()
            if para.heading:
                prev_ended_in_quote = False
                self.block_speaker = None
                continue
            if self.block_speaker and not para.quotes and not body.endswith(":"):
                # "Answered by X (Minister):" and then X's own words, paragraph after paragraph.
                ref, stated = self.block_speaker
                self._quote(Quote(para.start, para.end, (para.start, para.end), True), ref, 0.85,
                            stated, quoted=False)
                continue
            answer = _ANSWER.match(self.view, para.start)
            question = self.last_question
            before = len(self.drafts)
            prev_ended_in_quote = self._paragraph(para, prev_ended_in_quote)
            if answer and question and not any(d.kind == "status" for d in self.drafts[before:]):
                self._answer(answer, question)
            if self.last_question == question:
                self.last_question = None
            self.block_speaker = None
            if body.endswith(":") and not para.quotes:
                att = find_speaker(self.view, para.start, para.end, self.mentions, [], None)
                if att is not None and att.ref is not self.publisher:
                    self.block_speaker = (att.ref, self._stated_for(para.start, para.end, att))
        self.drafts.sort(key=lambda d: d.span)
        return self._dedupe(self.drafts)

    def _is_block(self, q: Quote, para: Paragraph) -> bool:
        text, view = self.text, self.view
        before = text[para.start:q.start].rstrip()
        inner = text[q.inner[0]:q.inner[1]].strip()
        if not inner:
            return False
        if not before or before.endswith(":"):
            return True
        if before[-1] in ".!?\u201d\"" and inner[:1].isupper():
            return True
        tail = view[q.end:q.end + 120]
        m = re.match(r"[^.!?\"]{0,80}?\b(?:said|says|added|adds|told|explained|insisted|warned|"
                     r"argued|stated|continued|commented)\b", tail, re.I)
        if m and re.search(r"[,.!?]\s*$", inner) and inner[:1].isupper():
            return True
        if before.endswith(",") and _SPEECH_RE.search(view[q.start - 60:q.start]) and inner[:1].isupper():
            return True
        return bool(re.search(r"[.!?]\s+[A-Z\"“]", inner) and inner[:1].isupper())

    def _paragraph(self, para: Paragraph, prev_ended_in_quote: bool) -> bool:
        blocks = [q for q in para.quotes if self._is_block(q, para)]
        for q in blocks:
            q.block = True
        frags = [q for q in para.quotes if not q.block]
        protect = [(q.start, q.end) for q in frags]
        items = []  # (start, kind, payload)
        cur = para.start
        for q in blocks:
            for s, e in sentences(self.text, cur, q.start, protect):
                items.append((s, e, "sent", None))
            items.append((q.start, q.end, "quote", q))
            cur = q.end
        for s, e in sentences(self.text, cur, para.end, protect):
            items.append((s, e, "sent", None))
        items = [it for it in items if self.text[it[0]:it[1]].strip(" ,.;:\u201d\"")]
        para_speaker: tuple[Ref, float] | None = None
        ended_in_quote = False
        for i, (s, e, kind, q) in enumerate(items):
            if kind == "sent":
                outro = i > 0 and items[i - 1][2] == "quote" and s - items[i - 1][1] <= 2 and \
                    re.match(r"[\s,]*(?:[a-z]|(?:said|says|added|adds)\b)", self.view[s:e]) is not None
                att = self._sentence(s, e, frags, outro)
                if att is not None and att.ref is not self.publisher:
                    para_speaker = (att.ref, att.confidence)
                ended_in_quote = False
                continue
            # A quotation of its own: its speaker is in the sentence before or after it.
            att, conf, stated = None, 0.9, None
            prev = items[i - 1] if i > 0 else None
            nxt = items[i + 1] if i + 1 < len(items) else None
            if prev and prev[2] == "sent" and not self.text[prev[0]:prev[1]].rstrip().endswith((".", "!", "?", "\u201d", '"')):
                att = find_speaker(self.view, prev[0], prev[1], self.mentions, [], self._recent_force(prev[0]))
                stated = self._stated_for(prev[0], prev[1], att)
            if att is None and nxt and nxt[2] == "sent" and nxt[0] - q.end <= 2:
                att = find_speaker(self.view, nxt[0], nxt[1], self.mentions, [], self._recent_force(nxt[0]))
                stated = self._stated_for(nxt[0], nxt[1], att)
            ref = att.ref if att else None
            note = None
            if att:
                conf = 0.9 * att.confidence
            elif para_speaker:
                ref, conf = para_speaker[0], 0.8 * para_speaker[1]
                note = "no attribution beside the quotation: speaker taken from the sentence before"
            elif prev_ended_in_quote and i == 0 and self.last_quote_speaker:
                ref, conf = self.last_quote_speaker[0], 0.8
                note = "quotation continued from the paragraph before"
            elif self.last_quote_speaker:
                ref, conf = self.last_quote_speaker[0], 0.5
                note = "no attribution found: speaker guessed as the last one quoted"
            if ref is None:
                continue
            if stated is None:
                stated = self.pub.isoformat() if self.pub else None
            inner = self.text[q.inner[0]:q.inner[1]].lstrip()
            if i >= 2 and items[i - 2][2] == "quote" and inner[:1].islower() and self._last_quote_drafts:
                # "“We have no plans,” said X, “to use it.”": one quotation, interrupted.
                for d in self._last_quote_drafts:
                    d.span = (d.span[0], trim(self.text, q.start, q.end, " \n,;:\u201c\u201d\"")[1])
                continue
            before = len(self.drafts)
            self._quote(q, ref, conf, stated, note=note)
            self._last_quote_drafts = self.drafts[before:]
            para_speaker = (ref, conf / 0.9 if conf < 0.9 else 1.0)
            self.last_quote_speaker = (ref, conf)
            ended_in_quote = True
        return ended_in_quote or bool(blocks and blocks[-1].open_end)

    _NO_FLIP = {"deployed": "not_using", "trialling": "not_using", "lab_trial": "not_using",
                "planned": "no_plans", "committed": "declined"}

    def _answer(self, answer: re.Match, question: tuple[int, int]) -> None:
        """A bare "Yes." or "No." takes its claim from the question it answers."""
        qs, qe = question
        cue = classify.best(classify.find_status_cues(self.cue_low, qs, qe, self._tech_alt(), index=self.cue_index))
        if cue is None:
            return
        status = cue.status if answer.group("yn").lower() == "yes" else self._NO_FLIP.get(cue.status)
        if status is None:
            return
        about = self._subjects(qs, qe, [], self.publisher, True) or self._self_subject(self.publisher)
        if not about:
            return
        a, b = trim(self.text, answer.start("yn"), answer.end())
        d = Draft(self.publisher, about, "status", status, (a, b), False,
                  self.pub.isoformat() if self.pub else None, 0.8 * cue.weight,
                  ["status read from the question this answers"])
        d.technology = self._tech_in(qs, qe) or self.dominant
        self.drafts.append(d)

    def _recent_force(self, pos: int) -> Ref | None:
        for m in reversed(self.mentions):
            if m.end <= pos and m.ref is not None and m.ref.type in ("Force", "Body") \
                    and m.ref is not self.publisher:
                return m.ref
        return self.publisher if self.publisher.type == "Force" else None

    # --- dates ---------------------------------------------------------------------------

    def _dates(self, s: int, e: int, quotes=()):
        lo = bisect.bisect_left(self.date_starts, s)
        hi = bisect.bisect_left(self.date_starts, e)
        return [d for d in self.all_dates[lo:hi] if not any(a <= d.start < b for a, b in quotes)]

    def _event_date(self, d, s: int) -> bool:
        """A date of what is claimed, not of the claiming: "since 2017", "Saturday's match",
        "will use it on Saturday"."""
        low = self.low
        if re.search(r"\b(?:since|from|until|till|between|during|ahead\s+of|before|after|by|next|for)\s+$",
                     low[max(0, d.start - 12):d.start]):
            return True
        if re.match(r"(?:since|from|until|till|during|by|next)\b", low[d.start:d.end]):
            return True
        if low.startswith("'s", d.end):
            return True
        return _FUTURE.search(low, max(s, d.start - 80), d.start) is not None

    def _stated_for(self, s, e, att: Attribution | None, quotes=()) -> str | None:
        if self.pub is None:
            found = self._dates(s, e, quotes)
            return found[0].value if found else None
        if att is None or att.ref is self.publisher:
            return self.pub.isoformat()
        found = [d for d in self._dates(s, e, quotes) if not self._event_date(d, s)]
        if att.verb_span != (0, 0):
            vs, ve = att.verb_span
            inside = [(a, b) for a, b in att.exclude]
            found = [d for d in found if d.dated or ((d.end <= vs or 0 <= d.start - ve <= 25)
                                                     and not any(a <= d.start < b for a, b in inside))]
        if found:
            dated = [d for d in found if d.dated]
            return (dated or found)[0].value
        # No date attached to the saying: as of publication (what the design assumes anyway).
        return self.pub.isoformat()

    # --- sentences -----------------------------------------------------------------------

    def _subjects(self, s, e, exclude: list[tuple[int, int]], speaker: Ref | None,
                  status: bool) -> list[Ref]:
        out: list[Ref] = []
        for m in self.mentions:
            if m.start < s or m.start >= e or m.ref is None or not m.subject_ok:
                continue
            if any(a <= m.start < b for a, b in exclude):
                continue
            if speaker is not None and m.ref is speaker:
                continue
            if m.ref not in out:
                out.append(m.ref)
        forces = [r for r in out if r.type == "Force" or (r.type == "Body" and r.kind == "police_body")]
        if forces and status:
            # "a pilot with Sussex Police": a partner, not the subject.
            lead, partners = set(), set()
            for m in self.mentions:
                if s <= m.start < e and m.ref is not None:
                    side = partners if _PARTNER.search(self.low, max(0, m.start - 16), m.start) else lead
                    side.add(m.ref.id)
            forces = [r for r in forces if r.id not in partners - lead]
        if status:
            return forces
        if forces:
            return forces
        others = [r for r in out if r.type in ("Body", "Person")]
        if speaker is not None:
            others = [r for r in others if r.id != speaker.member_of and r.id != getattr(speaker, "id", None)
                      and r is not self.publisher]
        return others

    def _self_subject(self, speaker: Ref) -> list[Ref]:
        if speaker.type == "Force":
            return [speaker]
        if speaker.type == "Person" and speaker.member_of:
            org = self.lex.refs.get(speaker.member_of) or next(
                (r for r in self.unresolved.values() if r.id == speaker.member_of), None)
            if org is not None and org.type == "Force":
                return [org]
        return []

    def _clauses(self, s: int, e: int) -> list[tuple[int, int]]:
        out, cur = [], s
        for m in _CLAUSE_SPLIT.finditer(self.low, s, e):
            if m.start() > cur:
                out.append((cur, m.start()))
            cur = m.end()
        out.append((cur, e))
        return out

    def _sentence(self, s: int, e: int, frags: list[Quote], outro: bool = False) -> Attribution | None:
        view = self.view
        qspans = [(q.start, q.end) for q in frags if s <= q.start < e]
        qinner = [q.inner for q in frags if s <= q.start < e]
        att = find_speaker(view, s, e, self.mentions, qspans, self._recent_force(s))
        dates = self._dates(s, e, qspans)
        stated = self._stated_for(s, e, att, qspans)
        if view[s:e].rstrip(" \"'”)").endswith("?"):
            self.last_question = (s, e)
            return att
        if _REQUEST.match(view, s):
            return att  # a question ("Does the force use ...?") claims nothing
        speaker = att.ref if att else self.publisher
        exclude = list(att.exclude) if att else []
        # "“We have no plans,” said X, “to use it.”": the second part continues the first.
        cont = [q for q in frags if s <= q.start < e and outro
                and self.text[q.inner[0]:q.inner[1]].lstrip()[:1].islower()]
        if cont and self._last_quote_drafts:
            end_at = trim(self.text, cont[-1].start, cont[-1].end, " \n,;:\u201c\u201d\".")[1]
            for d in self._last_quote_drafts:
                d.span = (d.span[0], max(d.span[1], end_at))
            qinner = [qi for qi, q in zip(qinner, [q for q in frags if s <= q.start < e], strict=True)
                      if q not in cont]
            qspans = [(q.start, q.end) for q in frags if s <= q.start < e and q not in cont]
            e_cut = cont[0].start
        else:
            e_cut = e
        # The subject of a sentence: the first force or body written outside quotations.
        subject_ref = None
        for m in self.mentions:
            if s <= m.start < e and m.ref is not None and m.subject_ok and \
                    not any(a <= m.start < b for a, b in qspans) and m.ref.type in ("Force", "Body"):
                subject_ref = m.ref
                break
        made: list[Draft] = []
        prev_subjects: list[Ref] = []
        clauses = self._clauses(s, e_cut)
        for cs, ce in clauses:
            c_att = att
            if len(clauses) > 1:
                own = find_speaker(view, cs, ce, self.mentions, qspans, None)
                if own is not None:
                    c_att = own
            c_speaker = c_att.ref if c_att else self.publisher
            c_exclude = exclude + (list(c_att.exclude) if c_att else [])
            c_stated = stated if c_att is att else self._stated_for(cs, ce, c_att, qspans)
            cues = classify.find_status_cues(self.cue_low, cs, ce, self._tech_alt(), index=self.cue_index)
            subj = self._subjects(cs, ce, c_exclude, c_speaker, True)
            if not subj:
                subj = prev_subjects
            prev_subjects = subj or prev_subjects
            normative = c_att is not None and c_speaker is not self.publisher and \
                classify.normative(self.low, cs, ce)
            if normative or not cues:
                continue
            groups: dict[int | None, list] = {}
            for c in cues:
                inside = next((i for i, (a, b) in enumerate(qinner) if a <= c.end and c.start < b), None)
                groups.setdefault(inside, []).append(c)
            for inside, cs_ in groups.items():
                cue = classify.best(cs_)
                if _ANAPHORIC.match(self.low, cue.end):
                    # "no intention of following suit": what it refers to is someone else's
                    # action, so no deployment can be named; the analyst decides.
                    a, b = trim(self.text, cs, ce)
                    self.held_back.append({"statement": None, "reason": (
                        f"possible {cue.status} claim about "
                        f"{', '.join(r.name for r in subj) or 'an unnamed subject'} not extracted: it "
                        f"refers back to another's action: {self.text[a:b]!r}")})
                    continue
                conf = 0.9 * cue.weight
                notes = []
                spk, st = c_speaker, c_stated
                if inside is not None and c_att is None:
                    spk = subject_ref or self.publisher
                    conf *= 0.85
                    notes.append("speaker taken from the subject of a partial quotation")
                    st = c_stated
                about = [r for r in subj if r is not spk] or self._self_subject(spk)
                if not about:
                    continue
                if any(m.how == "descriptor" for m in self.mentions if cs <= m.start < ce and m.ref in about):
                    conf *= 0.92
                if spk is self.publisher and c_att is None:
                    conf *= 0.9
                if len({c.status for c in cs_}) > 1:
                    conf *= 0.9
                    notes.append("other status cues in the clause: "
                                 + ", ".join(sorted({c.status for c in cs_} - {cue.status})))
                if inside is not None:
                    a0, b0 = qinner[inside]
                    a, b = trim(self.text, min(a0, max(cs, cue.start)), b0, " \n,;:\u201c\u201d\".")
                else:
                    later = [a0 for a0, _ in qspans if a0 > cue.end and a0 < ce and
                             any(i is not None for i in groups)]
                    a, b = trim(self.text, cs, min([ce, *later]))
                made.append(Draft(spk, about, "status", cue.status, (a, b), inside is not None, st,
                                  conf * (c_att.confidence if c_att else 1.0), notes))
        made.extend(self._metrics(s, e, att, speaker, exclude, stated, qspans))
        # Actions: a report released, an investigation launched, a legal challenge.
        am = classify.ACTION_RE.search(self.low, s, e)
        if am and not any(a <= am.start() < b for a, b in qspans):
            spk, a_exclude = speaker, list(exclude)
            if att is None:
                actor = [m for m in self.mentions if s <= m.start and m.end <= am.start()
                         and m.ref is not None and m.ref.type in ("Body", "Person")]
                if actor and re.fullmatch(r"(?:\s*\([A-Za-z&.]{2,10}\))?(?:['’]s)?\s+(?:\w+\s+){0,2}",
                                          view[actor[-1].end:am.start()]):
                    spk = actor[-1].ref
                    a_exclude.append((actor[-1].start, actor[-1].end))
            about = self._subjects(s, e, a_exclude, spk, False)
            a, b = trim(self.text, s, e, " \n,;:")
            if spk is self.publisher:
                a_stated = stated
            else:
                found = [d for d in dates if not self._event_date(d, s)]
                a_stated = found[0].value if found else stated
            made.append(Draft(spk, about, "action", None, (a, b), False, a_stated, 0.75))
        # Reported speech with no status: a position.
        if not made and not outro and att is not None and att.speech and speaker is not self.publisher:
            content = [x for x in re.findall(r"[\w’'-]+", view[att.verb_span[1]:e]) if x]
            outside = all(not (a <= att.verb_span[1] < b) for a, b in qspans)
            if len(content) >= 3 and outside and not view[s:e].rstrip().endswith(":"):
                # What the speaker's own relative clause names counts ("BBW, which found that
                # the Met's matches ..., said"); roles were already set aside as non-subjects.
                lo = min([att.verb_span[0], *(a for a, _ in exclude)])
                about = self._subjects(lo, e, [], speaker, False)
                a, b = trim(self.text, s, e, " \n,;:")
                made.append(Draft(speaker, about, "position", None, (a, b), False, stated,
                                  0.75 * att.confidence))
        self._merge_into(made)
        return att

    _NUM = r"(?P<n>\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s+(?P<mult>million|thousand))?"
    _APPROX = r"(?:(?:some|around|about|almost|nearly|more\s+than|over|up\s+to|at\s+least|roughly|approximately|just\s+over|just\s+under)\s+)?"
    METRICS = [
        ("false_alerts", rf"{_APPROX}{_NUM}\s+(?:were\s+)?(?:false\s+(?:alerts?|matches|positives|alarms|identifications))"),
        ("faces_scanned", rf"{_APPROX}{_NUM}\s+(?:faces|people|images|individuals)\s+(?:were\s+|had\s+been\s+|have\s+been\s+)?(?:scanned|captured|analysed|checked|processed)"),
        ("faces_scanned", rf"scann(?:ed|ing)\s+(?:the\s+faces\s+of\s+)?{_APPROX}{_NUM}\s+(?:faces|people|individuals)"),
        ("arrests", rf"{_APPROX}{_NUM}\s+(?:\w+\s+)?arrests?\b"),
        ("arrests", rf"arrested\s+{_APPROX}{_NUM}\s+(?:people|men|women|individuals|suspects)"),
        ("images_searched", rf"{_APPROX}{_NUM}\s+(?:images|photographs|photos|searches)\s+(?:were\s+|had\s+been\s+|have\s+been\s+)?(?:searched|run|submitted|checked|compared)"),
        ("images_searched", rf"search(?:ed|ing)\s+{_APPROX}{_NUM}\s+(?:images|photographs|photos)"),
        ("matches", rf"{_APPROX}{_NUM}\s+(?:possible\s+|potential\s+|positive\s+|true\s+)(?:matches|alerts?)\b"),
        ("alerts", rf"{_APPROX}{_NUM}\s+(?:alerts?|matches)\b"),
        ("watchlist_size", rf"watch\s*-?lists?\s+of\s+{_APPROX}{_NUM}"),
        ("watchlist_size", rf"{_APPROX}{_NUM}\s+(?:people\s+|individuals\s+|images\s+)?on\s+(?:a|the|its|their)\s+watch\s*-?list"),
        ("deployments", rf"(?:on|at|in)\s+{_APPROX}{_NUM}\s+(?:occasions|deployments|events|separate\s+occasions)"),
        ("deployments", rf"{_APPROX}{_NUM}\s+deployments"),
        ("deployments", rf"(?:deployed|used|flown|flew|operated)\s+(?:[\w'’-]+\s+){{0,5}}?{_APPROX}{_NUM}\s+times\b"),
    ]
    _WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

    def _metrics(self, s, e, att, speaker, exclude, stated, qspans) -> list[Draft]:
        out, taken = [], []
        if not _HAS_NUMBER.search(self.low, s, e):
            return out
        for name, pat in self.METRICS:
            rx = _metric_rx(pat)
            for m in rx.finditer(self.low, s, e):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                n = m.group("n")
                try:
                    value = self._WORDNUM.get(n) or float(n.replace(",", ""))
                except ValueError:
                    continue
                mult = {"million": 1e6, "thousand": 1e3}.get(m.group("mult") or "", 1)
                value = value * mult
                value = int(value) if float(value).is_integer() else value
                taken.append(m.span())
                about = self._subjects(s, e, exclude, speaker, True) or self._self_subject(speaker)
                conf = 0.7
                if not about:
                    # "the cameras produced 8 false alerts": the force the paragraph is about.
                    near = [m.ref for m in self.mentions if s - 600 <= m.start < s and m.ref is not None
                            and m.ref.type == "Force" and m.subject_ok]
                    about, conf = near[-1:], 0.55
                if not about:
                    continue
                inside = any(a <= m.start() < b for a, b in qspans)
                a, b = trim(self.text, s, e, " \n,;:")
                d = Draft(speaker, about, "metric", None, (a, b), inside, stated, conf)
                d.metric = {"metric": name, "value": value}
                out.append(d)
        return out

    def _merge_into(self, made: list[Draft]) -> None:
        # "approached ...; no decision has been made": one undecided claim, the most specific.
        undecided = {"approached": 0, "proposed": 1, "considering": 2}
        for d in made:
            if d.status in undecided:
                for o in made:
                    if o is not d and o.status in undecided and undecided[o.status] < undecided[d.status] \
                            and [r.id for r in o.about] == [r.id for r in d.about]:
                        d.status = o.status
        merged: list[Draft] = []
        for d in made:
            for o in merged:
                if o.kind == d.kind and o.status == d.status and o.metric == d.metric \
                        and [r.id for r in o.about] == [r.id for r in d.about]:
                    if o.speaker is self.publisher and d.speaker is not self.publisher:
                        o.speaker, o.stated, o.quote = d.speaker, d.stated, d.quote
                        o.notes = d.notes
                    o.span = (min(o.span[0], d.span[0]), max(o.span[1], d.span[1]))
                    o.confidence = max(o.confidence, d.confidence)
                    break
            else:
                merged.append(d)
        self.drafts.extend(merged)

    def _tech_alt(self) -> str:
        """The words that name a technology in a cue: the vocabulary's, and generic ones."""
        alt = self.lex.tech_alt
        if not alt:
            names = set()
            for n in self.lex.tech_matcher.table:
                names.add(n.lower())
            words = sorted(names, key=len, reverse=True)
            alt = "(?:" + "|".join(re.escape(w).replace("\\ ", r"\s+") for w in words) + "|" \
                + classify.DEFAULT_TECH[3:]
            self.lex.tech_alt = alt
        return alt

    # --- quotations ----------------------------------------------------------------------

    def _quote(self, q: Quote, speaker: Ref, conf: float, stated: str | None,
               quoted: bool = True, note: str | None = None) -> None:
        """A speaker's own words (a quotation, or the body of a written answer)."""
        s0, e0 = q.inner
        made: list[Draft] = []
        sents = sentences(self.text, s0, e0)
        for s, e in sents:
            if classify.normative(self.low, s, e):
                continue
            am = classify.ACTION_RE.search(self.low, s, e)
            if am:
                about = self._subjects(s, e, [], speaker, False)
                a, b = trim(self.text, s, e, " \n,;:\u201c\u201d\"")
                made.append(Draft(speaker, about, "action", None, (a, b), quoted, stated, 0.7 * conf / 0.9))
            prev_subjects: list[Ref] = []
            for cs, ce in self._clauses(s, e):
                cues = classify.find_status_cues(self.cue_low, cs, ce, self._tech_alt(), index=self.cue_index)
                subj = self._subjects(cs, ce, [], speaker, True) or prev_subjects
                prev_subjects = subj
                cue = classify.best(cues)
                if cue is None:
                    continue
                about = subj or self._self_subject(speaker)
                if not about:
                    continue
                a, b = trim(self.text, cs, ce, " \n,;:\u201c\u201d\"")
                made.append(Draft(speaker, about, "status", cue.status, (a, b), quoted, stated,
                                  conf * cue.weight))
        if not made:
            best, best_score = None, -1
            for s, e in sents:
                score = sum(1 for m in self.mentions if s <= m.start < e and m.ref is not None
                            and m.ref is not speaker and m.subject_ok) * 2 \
                    + sum(1 for a, _, _ in self.techs if s <= a < e)
                if score > best_score:
                    best, best_score = (s, e), score
            if best is None:
                return
            about = self._subjects(s0, e0, [], speaker, False)
            a, b = trim(self.text, best[0], best[1], " \n,;:\u201c\u201d\"")
            d = Draft(speaker, about, "position", None, (a, b), quoted, stated, 0.85 * conf)
            d.technology = self._tech_in(s0, e0)
            made.append(d)
        if note:
            for d in made:
                d.notes.append(note)
        self._merge_into(made)

    # --- output --------------------------------------------------------------------------

    def _dedupe(self, drafts: list[Draft]) -> list[Draft]:
        out, seen = [], {}
        for d in drafts:
            if d.kind != "status":
                out.append(d)
                continue
            # The same claim twice from one stretch of text; a repeat elsewhere is a claim of its own.
            key = (d.speaker.id, tuple(r.id for r in d.about), d.status, d.span)
            if key in seen:
                o = seen[key]
                o.confidence = max(o.confidence, d.confidence)
                continue
            seen[key] = d
            out.append(d)
        return out


_METRIC_RX: dict[str, re.Pattern] = {}
_HAS_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b")


def _metric_rx(pat: str) -> re.Pattern:
    if pat not in _METRIC_RX:
        _METRIC_RX[pat] = re.compile(r"\b(?:" + pat + r")", re.IGNORECASE)
    return _METRIC_RX[pat]


def _resolve_overlaps(ms: list[Mention]) -> list[Mention]:
    """Longest mention wins; on a tie the gazetteer's."""
    order = {"name": 0, "alias": 1, "person": 1, "short": 2, "surname": 2, "unresolved": 3}
    ms = sorted(ms, key=lambda m: (-(m.end - m.start), order.get(m.how, 4), m.start))
    kept: list[Mention] = []
    for m in ms:
        if any(k.start < m.end and m.start < k.end for k in kept):
            continue
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept
