// claims-about: everything claimed about one subject
// Every claim whose subject is the given force, body, person or trial, with its
// in-force interval for that subject (valid_to empty: still in force).
// @param subject entity the subject (id, name or alias)
// @example statusgraph query claims-about -p subject=Kent
MATCH (s:Statement)-[a:ABOUT]->(x)
WHERE x.id = $subject
// speaker and deployment by their ids on the statement: a join with the few entities,
// where following MADE and CONCERNS from each claim joins with every claim in the graph
MATCH (sp:Force|Body|Person)
WHERE sp.id = s.speaker
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = s.deployment
// page here, before counting sources (queries/runner.py)
WITH s, a, sp, d
ORDER BY s.valid_from, sp.name, s.id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (s)-[:REPORTED_IN]->(src:Source)
RETURN s.valid_from AS date, sp.name AS speaker, s.kind AS kind, s.status AS status,
       s.stance AS stance, d.name AS deployment, a.valid_from AS valid_from,
       a.valid_to AS valid_to, s.quote AS quote, s.evidence AS evidence,
       count(DISTINCT src) AS sources, s.id AS statement
ORDER BY date, speaker, statement
