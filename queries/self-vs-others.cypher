// self-vs-others: what subjects say about themselves against what others say of them
// Each status claim a subject makes about itself, next to each status claim another
// speaker makes about it on the same deployment (the same trial or technology, or a
// trial and its technology), and whether their stances agree.
// @param subject entity? only this subject
// @example statusgraph query self-vs-others -p subject="British Transport Police"
MATCH (own:Statement)-[ro:ABOUT]->(x)<-[rt:ABOUT]-(theirs:Statement)
WHERE own.kind = 'status' AND theirs.kind = 'status'
  AND own.speaker = x.id AND theirs.speaker <> x.id
  AND ($subject = '' OR x.id = $subject)
  AND EXISTS { MATCH (own)-[:CONCERNS]->(d)<-[:CONCERNS]-(theirs)
               WHERE d.id = own.deployment OR d.id = theirs.deployment }
MATCH (sp)-[:MADE]->(theirs)
OPTIONAL MATCH (own)-[:CONCERNS]->(d)
WHERE d.id = own.deployment
RETURN x.name AS subject, d.name AS deployment, own.status AS self_status,
       ro.valid_from AS self_from, sp.name AS other, theirs.status AS other_status,
       rt.valid_from AS other_from, own.stance = theirs.stance AS agree,
       own.id AS self_statement, theirs.id AS other_statement
ORDER BY subject, deployment, self_from, other, self_statement, other_statement
SKIP $skip LIMIT $limit
