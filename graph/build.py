"""Turn a resolved claim sheet into the `GraphBatch` of nodes and edges it adds.

Ids are deterministic (see `graph.ids`), so a batch built twice from the same sheet is
the same batch, and the store's "already there" filter makes re-imports add nothing.
"""

from __future__ import annotations

import datetime as dt

from graph.ids import content_hash, source_id, statement_id
from graph.model import model
from graph.store import GraphBatch


def _now() -> dt.datetime:
    # naive UTC: LadybugDB drops tz offsets silently (cypher-portability §0 rule 7)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def entity_props(e) -> dict:
    label = e.type
    props = {"id": e.id, "name": e.name, "aliases": list(e.aliases)}
    if label in ("Force", "Body"):
        props.update(kind=e.kind, nation=e.nation)
    else:
        props.update(role=e.role)
    return props


def source_props(src) -> dict:
    published = src.published.date if src.published else None
    sid = source_id(url=src.url, title=src.title, publisher=src.publisher, author=src.author,
                    published=src.published.text if src.published else None, kind=src.kind)
    return {"id": sid, "title": src.title, "publisher": src.publisher, "author": src.author,
            "url": src.url, "published": published,
            "published_text": src.published.text if src.published else None, "kind": src.kind}


def claim_id(c) -> str:
    deployment = c.trial.id if c.trial else c.technology
    metric = None
    if c.kind == "metric":
        period = [d.isoformat() if d else None for d in (c.period or (None, None))]
        metric = (c.metric, c.value, c.unit, *period)
    return statement_id(speaker=c.speaker.id, about=[s.id for s in c.about], kind=c.kind,
                        status=c.status, deployment=deployment,
                        stated=c.stated.text if c.stated else None, evidence=c.evidence,
                        metric=metric)


def batch_for_sheet(sheet, imported_at: dt.datetime | None = None) -> GraphBatch:
    """The nodes and edges one claim sheet adds, ids and stances included."""
    m = model()
    g = sheet.gazetteer
    imported_at = imported_at or _now()
    b = GraphBatch()

    def add_entity(e):
        if e.id in b.nodes.get(e.type, {}):
            return
        b.add_node(e.type, entity_props(e))
        if e.type == "Person" and e.member_of:
            org = g.entities[e.member_of]
            add_entity(org)
            b.add_rel("MEMBER_OF", "Person", e.id, org.type, org.id, {"role": e.role})

    def add_technology(tech_id):
        chain = g.broader_closure(tech_id)  # the technology and every broader one
        for t in chain:
            if t in b.nodes.get("Technology", {}):
                continue
            tech = g.technologies[t]
            b.add_node("Technology", {"id": t, "name": tech.name, "aliases": list(tech.aliases)})
            for up in tech.broader:
                b.add_rel("BROADER", "Technology", t, "Technology", up)
        return chain

    def add_trial(t):
        b.add_node("Trial", {"id": t.id, "name": t.name, "description": t.description})
        if t.technology:
            add_technology(t.technology)
            b.add_rel("USES", "Trial", t.id, "Technology", t.technology)
        if t.run_by:
            add_entity(t.run_by)
            b.add_rel("RUN_BY", "Trial", t.id, t.run_by.type, t.run_by.id)
        if t.funded_by:
            add_entity(t.funded_by)
            b.add_rel("FUNDED_BY", "Trial", t.id, "Body", t.funded_by.id)

    ids = [claim_id(c) for c in sheet.claims]
    src = source_props(sheet.source)
    src["content_hash"] = content_hash(ids)
    b.add_node("Source", src)
    b.source_id = src["id"]
    for cited in sheet.source.cites:
        cid = source_id(url=cited) if "://" in cited else source_id(title=cited)
        b.add_node("Source", {"id": cid, "title": None if "://" in cited else cited,
                              "publisher": None, "author": None,
                              "url": cited if "://" in cited else None, "published": None,
                              "published_text": None,
                              "kind": "other", "content_hash": None})
        b.add_rel("CITES", "Source", src["id"], "Source", cid)
    for e in sheet.entities:
        add_entity(e)
    for t in sheet.trials.values():
        if t.id in sheet.declared_trials:
            add_trial(t)  # a declared trial is part of what the source says exists
    for c, sid in zip(sheet.claims, ids, strict=True):
        deployment = c.trial.id if c.trial else c.technology
        add_entity(c.speaker)
        period = c.period or (None, None)
        b.add_node("Statement", {
            "id": sid, "kind": c.kind, "status": c.status, "stance": m.stance(c.status),
            "speaker": c.speaker.id, "deployment": deployment, "technology": c.technology,
            "metric": c.metric,
            "value": c.value, "unit": c.unit, "period_from": period[0], "period_to": period[1],
            "stated": c.stated.date if c.stated else None,
            "stated_text": c.stated.text if c.stated else None,
            "valid_from": None, "valid_to": None, "quote": c.quote, "evidence": c.evidence,
            "confidence": c.confidence, "method": c.method,
        })
        b.add_rel("MADE", c.speaker.type, c.speaker.id, "Statement", sid)
        for s in c.about:
            label = getattr(s, "type", "Trial")
            if label == "Trial":
                add_trial(s)
            else:
                add_entity(s)
            b.add_rel("ABOUT", "Statement", sid, label, s.id,
                      {"valid_from": None, "valid_to": None})
            if c.kind == "status":
                b.keys.add((label, s.id, deployment))
        concerns = []
        if c.trial:
            add_trial(c.trial)
            b.add_rel("CONCERNS", "Statement", sid, "Trial", c.trial.id)
            concerns.append(c.trial.id)
        techs = {c.technology} | ({c.trial.technology} if c.trial and c.trial.technology else set())
        for tech in sorted(t for t in techs if t):
            for t in add_technology(tech):
                b.add_rel("CONCERNS", "Statement", sid, "Technology", t)
                concerns.append(t)
        # the CONCERNS targets again as a list, so the contradiction query can compare two
        # claims' deployments without a subquery per pair
        b.nodes["Statement"][sid]["concerns"] = sorted(set(concerns))
        span = c.span or (None, None)
        b.add_rel("REPORTED_IN", "Statement", sid, "Source", src["id"],
                  {"start": span[0], "end": span[1], "imported_at": imported_at})
        b.statements.add(sid)
    b.sources[src["id"]] = (src["content_hash"], frozenset(b.statements))
    return b
