// claims-by: everything one speaker has claimed
// Every claim made by the given force, body or person, with its subjects.
// @param speaker entity the speaker (id, name or alias)
// @example statusgraph query claims-by -p speaker="Home Office"
MATCH (sp)-[:MADE]->(s:Statement)
WHERE sp.id = $speaker
// page here, before the joins that only decorate a row (queries/runner.py)
WITH s
ORDER BY s.valid_from, s.id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (s)-[:ABOUT]->(x)
WITH s, collect(DISTINCT x.name) AS about
// deployment by its id on the statement (see claims-about.cypher)
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = s.deployment
OPTIONAL MATCH (s)-[:REPORTED_IN]->(src:Source)
RETURN s.valid_from AS date, about, s.kind AS kind, s.status AS status,
       d.name AS deployment, s.quote AS quote, s.evidence AS evidence,
       count(DISTINCT src) AS sources, s.id AS statement
ORDER BY date, statement
