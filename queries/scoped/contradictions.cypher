// contradictions with -p subject: queries/contradictions.cypher anchored on the subject
// Every MATCH starts from the subject's key ($subject), not from a node carried over a
// WITH (see queries/scoped/self-vs-others.cypher); the rows and their order are the same.
MATCH (x)<-[ra:ABOUT]-(a:Statement)
WHERE x.id = $subject AND (a.stance = 'active' OR a.kind = 'metric')
MATCH (sa:Force|Body|Person)
WHERE sa.id = a.speaker
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = a.deployment
WITH x, a, ra, sa, d
ORDER BY coalesce(d.name, a.metric), sa.name, a.id
LIMIT $anchors
MATCH (y)<-[rb:ABOUT]-(b:Statement)
WHERE y.id = $subject AND b.speaker <> a.speaker
  AND (
    (a.stance = 'active' AND b.stance IN ['undecided', 'inactive']
      AND (b.deployment IN a.concerns OR a.deployment IN b.concerns)
      AND (b.status = 'denied'
           OR (coalesce(ra.valid_from, date('0001-01-01')) < coalesce(rb.valid_to, date('9999-12-31'))
               AND coalesce(rb.valid_from, date('0001-01-01')) < coalesce(ra.valid_to, date('9999-12-31')))))
    OR (a.kind = 'metric' AND b.kind = 'metric' AND a.metric = b.metric
      AND a.speaker < b.speaker AND a.value <> b.value
      AND coalesce(a.period_from, date('0001-01-01')) = coalesce(b.period_from, date('0001-01-01'))
      AND coalesce(a.period_to, date('9999-12-31')) = coalesce(b.period_to, date('9999-12-31')))
  )
MATCH (sb:Force|Body|Person)
WHERE sb.id = b.speaker
WITH x, a, ra, sa, d, b, rb, sb
ORDER BY coalesce(d.name, a.metric), sa.name, a.id, sb.name, b.id
SKIP $skip LIMIT $limit
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
ORDER BY deployment, claimant, claim_id, counter_claimant, counter_id
