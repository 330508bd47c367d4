// status: one subject's status timeline, per deployment and claimant
// Every status claim about the subject in date order, grouped by deployment and by who
// makes it, with the interval each claim was in force (to empty: still in force) and
// whether the subject speaks about itself.
// @param subject entity the force (or body) whose status to show
// @example statusgraph query status -p subject=kent-police
MATCH (s:Statement)-[a:ABOUT]->(x)
WHERE x.id = $subject AND s.kind = 'status'
// speaker and deployment by their ids on the statement: a join with the few entities,
// where following MADE and CONCERNS from each claim joins with every claim in the graph
MATCH (sp:Force|Body|Person)
WHERE sp.id = s.speaker
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = s.deployment
RETURN d.name AS deployment, sp.name AS claimant, sp.id = x.id AS self_reported,
       s.status AS status, s.stance AS stance, a.valid_from AS valid_from,
       a.valid_to AS valid_to, s.evidence AS evidence, s.id AS statement
ORDER BY deployment, claimant, valid_from, statement
SKIP $skip LIMIT $limit
