// contradictions: claims by different speakers that cannot both be true
// Two status claims about the same subject and deployment (the same trial or
// technology, or a trial and its technology) contradict when one is active and the
// other undecided or inactive while both are in force, or when one is a denial
// (`denied`: says it never agreed) of an active claim, whatever the dates. Two metric
// claims about the same subject, metric and period with different values contradict
// too. `claim` is the active (or first) side, `counter` the other; both carry their
// sources.
// @param subject entity? only contradictions about this subject
// @example statusgraph query contradictions -p subject="West Midlands Police"
// The pairs are found when claims are written and kept as CONTRADICTS edges
// (graph/contradictions.py), so this reads them instead of joining every pair of claims.
MATCH (a:Statement)-[c:CONTRADICTS]->(b:Statement)
WHERE $subject = '' OR c.subject = $subject
MATCH (a)-[ra:ABOUT]->(x)
WHERE x.id = c.subject
MATCH (b)-[rb:ABOUT]->(x)
MATCH (sa)-[:MADE]->(a)
MATCH (sb)-[:MADE]->(b)
OPTIONAL MATCH (a)-[:CONCERNS]->(d)
WHERE d.id = a.deployment
WITH x, a, b, ra, rb, sa, sb, d
OPTIONAL MATCH (a)-[:REPORTED_IN]->(src_a:Source)
WITH x, a, b, ra, rb, sa, sb, d, collect(DISTINCT src_a.title) AS claim_sources
OPTIONAL MATCH (b)-[:REPORTED_IN]->(src_b:Source)
WITH x, a, b, ra, rb, sa, sb, d, claim_sources, collect(DISTINCT src_b.title) AS counter_sources
RETURN x.name AS subject, coalesce(d.name, a.metric) AS deployment,
       sa.name AS claimant, coalesce(a.status, a.metric) AS claim, a.value AS claim_value,
       ra.valid_from AS claim_from,
       sb.name AS counter_claimant, coalesce(b.status, b.metric) AS counter_claim,
       b.value AS counter_value, rb.valid_from AS counter_from,
       CASE WHEN a.kind = 'metric' THEN 'different values'
            WHEN b.status = 'denied' THEN 'denial'
            ELSE 'in force together' END AS reason,
       claim_sources, counter_sources, a.evidence AS claim_evidence,
       b.evidence AS counter_evidence, x.id AS subject_id, a.id AS claim_id, b.id AS counter_id
ORDER BY subject, deployment, claimant, counter_claimant, claim_id, counter_id
