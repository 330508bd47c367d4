// status-as-of: every subject's in-force status on a date, per claimant
// For each subject, deployment and claimant, the status claims in force on the date
// (stated on or before it and not yet superseded by the same claimant). A subject
// speaking about itself is marked self_reported.
// @param date date the day to look at (YYYY-MM-DD)
// @param subject entity? only this subject
// @example statusgraph query status-as-of -p date=2019-07-01
MATCH (s:Statement)-[a:ABOUT]->(x)
WHERE s.kind = 'status' AND ($subject = '' OR x.id = $subject)
  AND a.valid_from IS NOT NULL AND a.valid_from <= date($date)
  AND (a.valid_to IS NULL OR a.valid_to > date($date))
// speaker and deployment by their ids on the statement (see claims-about.cypher)
MATCH (sp:Force|Body|Person)
WHERE sp.id = s.speaker
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = s.deployment
RETURN x.name AS subject, d.name AS deployment, sp.name AS claimant,
       sp.id = x.id AS self_reported, s.status AS status, s.stance AS stance,
       a.valid_from AS since, s.evidence AS evidence, s.id AS statement
ORDER BY subject, deployment, claimant, statement
SKIP $skip LIMIT $limit
