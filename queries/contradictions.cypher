// contradictions: claims by different speakers that cannot both be true
// Two status claims about the same subject and deployment (the same trial or
// technology, or a trial and its technology) contradict when one is active and the
// other undecided or inactive while both are in force, or when one is a denial
// (`denied`: says it never agreed) of an active claim, whatever the dates. Two metric
// claims about the same subject, metric and period with different values contradict
// too. `claim` is the active (or first) side, `counter` the other; both carry their
// sources. Rows come claim by claim: each claim, then the claims that counter it.
// @param subject entity? only contradictions about this subject
// @example statusgraph query contradictions -p subject="West Midlands Police"

// The answer is every (claim, counter) pair, which grows with the product of a subject's
// claims (10 million pairs for Kent at 1M statements). So the page is found before
// pairing: the claims that may have a counter (active claims and metrics) are ordered,
// the first $anchors are kept, and only those are paired. A kept claim may have no
// counter, so the runner widens $anchors until the page is full or every claim is in
// (queries/runner.py). With -p subject the runner sends queries/scoped/contradictions.cypher,
// the same query anchored on the subject's key. Leaving out the active claims on
// deployments no undecided or inactive claim concerns would cost more than it saves: at
// 1M statements the first page took 4.5 s with that test and 2.1 s without it (Kent's:
// 0.56 s and 0.43 s).
MATCH (x)<-[ra:ABOUT]-(a:Statement)
WHERE ($subject = '' OR x.id = $subject) AND (a.stance = 'active' OR a.kind = 'metric')
// speaker and deployment by their ids on the statement (queries/claims-about.cypher)
MATCH (sa:Force|Body|Person)
WHERE sa.id = a.speaker
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = a.deployment
WITH x, a, ra, sa, d
ORDER BY x.name, x.id, coalesce(d.name, a.metric), sa.name, a.id
LIMIT $anchors
MATCH (x)<-[rb:ABOUT]-(b:Statement)
WHERE b.speaker <> a.speaker
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
ORDER BY x.name, x.id, coalesce(d.name, a.metric), sa.name, a.id, sb.name, b.id
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
ORDER BY subject, subject_id, deployment, claimant, claim_id, counter_claimant, counter_id
