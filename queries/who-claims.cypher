// who-claims: who claims what about whom
// Every claim in the graph with its speaker, subjects, status and number of sources,
// optionally narrowed to one subject, one speaker and/or one technology (a technology
// also matches claims about narrower ones and about trials that use it).
// @param about entity? the subject of the claims (id, name or alias)
// @param speaker entity? who makes the claims
// @param technology technology? the technology concerned
// @example statusgraph query who-claims -p about="Kent Police"
MATCH (sp)-[:MADE]->(s:Statement)
WHERE ($speaker = '' OR sp.id = $speaker)
  AND ($about = '' OR EXISTS { MATCH (s)-[:ABOUT]->(x) WHERE x.id = $about })
  AND ($technology = '' OR EXISTS { MATCH (s)-[:CONCERNS]->(t:Technology) WHERE t.id = $technology })
// page here, before the joins that only decorate a row (queries/runner.py)
WITH sp, s
ORDER BY s.valid_from, sp.name, s.id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (s)-[:ABOUT]->(x)
WITH sp, s, collect(DISTINCT x.name) AS about
// deployment by its id on the statement (see claims-about.cypher)
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = s.deployment
OPTIONAL MATCH (s)-[:REPORTED_IN]->(src:Source)
RETURN s.valid_from AS date, sp.name AS speaker, about, s.kind AS kind, s.status AS status,
       d.name AS deployment, s.evidence AS evidence, count(DISTINCT src) AS sources,
       s.id AS statement
ORDER BY date, speaker, statement
