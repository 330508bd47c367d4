// self-vs-others with -p subject: queries/self-vs-others.cypher anchored on the subject
// Every MATCH starts from the subject's key ($subject): a MATCH that starts from a node
// carried over a WITH is planned as a join with the whole ABOUT table (0.4 s at 1M
// statements, against 0.04 s for the key). The deployment and the other speaker are
// looked up by their ids, not by following CONCERNS and MADE (queries/claims-about.cypher).
// The subject's own claims are found from what it MADE, not from all that is said ABOUT
// it: at 1M statements, 20 ms against 44 ms for Dorset Police's 2,902 of 30,424.
MATCH (x)-[:MADE]->(own:Statement)-[ro:ABOUT]->(x)
WHERE x.id = $subject AND own.kind = 'status'
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = own.deployment
WITH x, own, ro, d
ORDER BY d.name, ro.valid_from, own.id
LIMIT $anchors
MATCH (y)<-[rt:ABOUT]-(theirs:Statement)
WHERE y.id = $subject AND theirs.kind = 'status' AND theirs.speaker <> y.id
  AND (theirs.deployment IN own.concerns OR own.deployment IN theirs.concerns)
MATCH (sp:Force|Body|Person)
WHERE sp.id = theirs.speaker
RETURN x.name AS subject, d.name AS deployment, own.status AS self_status,
       ro.valid_from AS self_from, sp.name AS other, theirs.status AS other_status,
       rt.valid_from AS other_from, own.stance = theirs.stance AS agree,
       own.id AS self_statement, theirs.id AS other_statement
ORDER BY subject, deployment, self_from, self_statement, other, other_statement
SKIP $skip LIMIT $limit
