"""The claim sheet (format 1) built from an extraction, and its YAML with a header."""

from __future__ import annotations

import yaml

from loaders.extract.extraction import Extraction
from loaders.extract.mentions import Lexicon, Ref

FORMAT = "statusgraph/claims@1"
REVIEW_BELOW = 0.65  # statements under this confidence are listed under `review:`


def build_sheet(article, lexicon: Lexicon | None = None) -> dict:
    ex = Extraction(article, lexicon)
    drafts = ex.run()
    text = ex.text
    refs_by_id = dict(ex.lex.refs)
    for r in (*ex.unresolved.values(), *ex.people.values(), ex.publisher):
        refs_by_id[r.id] = r
    statements, review = [], []
    used: dict[str, Ref] = {}
    for d in drafts:
        tech = d.technology or ex._tech_in(*d.span)
        if tech is None and d.kind == "status":
            tech = ex.dominant
        st = {"speaker": d.speaker.name, "about": [r.name for r in d.about], "kind": d.kind}
        if d.kind == "status":
            st["status"] = d.status
        if d.kind == "metric" and d.metric:
            st.update(d.metric)
        if tech:
            st["technology"] = ex.lex.tech_names.get(tech, tech)
        st["stated"] = d.stated
        st["quote"] = bool(d.quote)
        st["evidence"] = text[d.span[0]:d.span[1]]
        st["span"] = [d.span[0], d.span[1]]
        st["confidence"] = round(min(max(d.confidence, 0.05), 0.99), 2)
        st["method"] = "extracted"
        for r in (d.speaker, *d.about):
            used[r.id] = r
        if st["confidence"] < REVIEW_BELOW:
            reason = "; ".join(d.notes) or "low confidence: check speaker, subject and status"
            review.append({"statement": len(statements), "reason": reason})
        statements.append(st)
    entities = []
    declared = set()
    people = [r for r in used.values() if r.type == "Person"] + \
        [r for r in ex.people.values() if r.id not in used]
    for r in people:
        if r.id in declared:
            continue
        declared.add(r.id)
        ent = {"name": r.name, "type": "Person"}
        if r.role:
            ent["role"] = r.role
        if r.member_of:
            org = refs_by_id.get(r.member_of)
            if org is not None:
                ent["member_of"] = org.name
                if not org.builtin and org.id not in used:
                    used[org.id] = org
        surname = r.name.split()[-1]
        ent["aliases"] = sorted({a for a in r.aliases if a != r.name} | {surname})
        entities.append(ent)
    for r in list(used.values()):
        if r.type != "Person" and not r.builtin and r.id not in declared:
            declared.add(r.id)
            ent = {"name": r.name, "type": r.type}
            if r.kind:
                ent["kind"] = r.kind
            if r.aliases:
                ent["aliases"] = list(r.aliases)
            entities.append(ent)
    review.extend(ex.held_back)
    if not ex.source.get("publisher") and any(st["speaker"] == ex.publisher.name for st in statements):
        review.append({"statement": None, "name": ex.publisher.name,
                       "reason": "no publisher given: the article's own assertions are attributed to "
                                 f"{ex.publisher.name!r}; give the publisher (--publisher or FILE.meta.yaml)"})
    for r in ex.unresolved.values():
        review.append({"statement": None, "name": r.name, "reason": "not in the gazetteer"
                       + ("; declared under entities" if r.id in declared else "")})
    for r in ex.people.values():
        review.append({"statement": None, "name": r.name,
                       "reason": "not in the gazetteer; declared under entities"})
    source = {k: ex.source.get(k) for k in ("title", "publisher", "author", "url", "published", "kind")}
    if source.get("kind") is None:
        source["kind"] = "news_article"
    return {"format": FORMAT, "source": source, "entities": entities, "trials": [],
            "statements": statements, "review": review}


class _Dumper(yaml.SafeDumper):
    pass


def _repr_list(dumper, data):
    flow = all(isinstance(x, (str, int, float)) and len(str(x)) < 60 for x in data) and len(data) <= 6
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)


def dump(sheet: dict) -> str:
    n = len(sheet.get("statements") or [])
    review = sheet.get("review") or []
    low = sum(1 for r in review if r.get("statement") is not None)
    names = sum(1 for r in review if r.get("statement") is None and r.get("name"))
    held = sum(1 for r in review if r.get("statement") is None and not r.get("name"))
    src = sheet.get("source") or {}
    head = [
        f"# Claim sheet extracted automatically from {src.get('title') or 'an article'!s}",
        f"# ({n} statements; method: extracted). Before importing, check each statement's",
        "# speaker, about, kind, status and stated date against its evidence (an exact",
        "# substring of the article text; span gives its offsets). Delete wrong statements,",
        "# add missed ones by hand (they need no span).",
        f"# `review:` at the end lists {low} low-confidence statement(s) by index, {held} possible",
        f"# claim(s) left out, and {names} name(s) not in the gazetteer (declare or correct those",
        "# under `entities:`).",
    ]
    body = yaml.dump(sheet, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000,
                     default_flow_style=False)
    return "\n".join(head) + "\n" + body
