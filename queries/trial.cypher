// trial: everything said about one trial, in date order
// Every claim that concerns the trial or has it as a subject, with speaker, subjects,
// status and sources.
// @param trial trial the trial (id or name)
// @example statusgraph query trial -p trial="Metropolitan Police live facial recognition trial"
MATCH (s:Statement)-[:CONCERNS|ABOUT]->(t:Trial)
WHERE t.id = $trial
WITH DISTINCT s
// speaker by its id on the statement (see claims-about.cypher)
MATCH (sp:Force|Body|Person)
WHERE sp.id = s.speaker
// page here, before the joins that only decorate a row (queries/runner.py)
WITH s, sp
ORDER BY s.valid_from, sp.name, s.id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (s)-[:ABOUT]->(x)
WITH s, sp, collect(DISTINCT x.name) AS about
OPTIONAL MATCH (s)-[:REPORTED_IN]->(src:Source)
RETURN s.valid_from AS date, sp.name AS speaker, about, s.kind AS kind, s.status AS status,
       s.evidence AS evidence, collect(DISTINCT src.title) AS sources, s.id AS statement
ORDER BY date, speaker, statement
