// provenance: where a statement was reported
// Every source that reports the statement, with the span of its evidence in that
// source, whether it is a verbatim quote, and when we imported it.
// @param statement statement the statement id (or a unique prefix of it)
// @example statusgraph query provenance -p statement=st-3f2a
MATCH (sp)-[:MADE]->(s:Statement)-[r:REPORTED_IN]->(src:Source)
WHERE s.id = $statement
RETURN sp.name AS speaker, s.status AS status, s.quote AS quote, s.evidence AS evidence,
       src.title AS source, src.publisher AS publisher, src.published AS published,
       src.kind AS source_kind, src.url AS url, r.start AS start, r.`end` AS `end`,
       r.imported_at AS imported_at, src.id AS source_id
ORDER BY published, source_id
SKIP $skip LIMIT $limit
