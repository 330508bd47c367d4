// self-vs-others: what subjects say about themselves against what others say of them
// Each status claim a subject makes about itself, next to each status claim another
// speaker makes about it on the same deployment (the same trial or technology, or a
// trial and its technology), and whether their stances agree.
// @param subject entity? only this subject
// @example statusgraph query self-vs-others -p subject="British Transport Police"
// @anchors exact

// The answer is every (own, other) pair, which grows with the product of a subject's
// claims: the whole of it for one force at 1M statements filled a 6 GiB buffer pool. So
// the page is found before pairing: the rows are ordered by the own claim first, the own
// claims that have at least one pair are found from the deployments others speak of
// (linear), the first $anchors of them in order are kept, and only those are paired (the
// runner widens $anchors until the page is full: queries/runner.py). With -p subject the
// runner sends queries/scoped/self-vs-others.cypher, the same query anchored on the
// subject's key in every MATCH.
MATCH (x)<-[:ABOUT]-(theirs:Statement)
WHERE ($subject = '' OR x.id = $subject) AND theirs.kind = 'status' AND theirs.speaker <> x.id
UNWIND theirs.concerns AS concern
WITH x, collect(DISTINCT theirs.deployment) AS their_deployments,
     collect(DISTINCT concern) AS their_concerns
MATCH (x)<-[ro:ABOUT]-(own:Statement)
WHERE own.kind = 'status' AND own.speaker = x.id
  AND (own.deployment IN their_concerns OR any(c IN own.concerns WHERE c IN their_deployments))
OPTIONAL MATCH (own)-[:CONCERNS]->(d)
WHERE d.id = own.deployment
WITH x, own, ro, d
ORDER BY x.name, d.name, ro.valid_from, own.id
LIMIT $anchors
MATCH (x)<-[rt:ABOUT]-(theirs:Statement)
WHERE theirs.kind = 'status' AND theirs.speaker <> x.id
  AND (theirs.deployment IN own.concerns OR own.deployment IN theirs.concerns)
MATCH (sp)-[:MADE]->(theirs)
RETURN x.name AS subject, d.name AS deployment, own.status AS self_status,
       ro.valid_from AS self_from, sp.name AS other, theirs.status AS other_status,
       rt.valid_from AS other_from, own.stance = theirs.stance AS agree,
       own.id AS self_statement, theirs.id AS other_statement
ORDER BY subject, deployment, self_from, self_statement, other, other_statement
SKIP $skip LIMIT $limit
