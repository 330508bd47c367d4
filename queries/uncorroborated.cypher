// uncorroborated: claims reported by one source only
// Status, position, action and metric claims that no second source reports,
// optionally narrowed to one subject or one speaker.
// @param about entity? only claims about this subject
// @param speaker entity? only claims by this speaker
// @example statusgraph query uncorroborated -p speaker="Home Office"
MATCH (sp)-[:MADE]->(s:Statement)-[:REPORTED_IN]->(src:Source)
WHERE ($speaker = '' OR sp.id = $speaker)
  AND ($about = '' OR EXISTS { MATCH (s)-[:ABOUT]->(x) WHERE x.id = $about })
WITH sp, s, count(DISTINCT src) AS n, collect(DISTINCT src.title) AS sources
WHERE n = 1
RETURN s.valid_from AS date, sp.name AS speaker, s.kind AS kind, s.status AS status,
       s.evidence AS evidence, sources, s.id AS statement
ORDER BY date, speaker, statement
SKIP $skip LIMIT $limit
