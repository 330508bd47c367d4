// self-vs-others: what subjects say about themselves against what others say of them
// Each status claim a subject makes about itself, next to each status claim another
// speaker makes about it on the same deployment (the same trial or technology, or a
// trial and its technology), and whether their stances agree.
// @param subject entity? only this subject
// @example statusgraph query self-vs-others -p subject="British Transport Police"

// The answer is every (own, other) pair, which grows with the product of a subject's
// claims: the whole of it for one force at 1M statements filled a 6 GiB buffer pool. So
// the page is found before pairing: the rows are ordered by the own claim first, the
// first $anchors own claims in that order are kept, and only those are paired. An own
// claim nobody else speaks to has no row, so the runner widens $anchors until the page is
// full or every own claim is in (queries/runner.py). Finding first which own claims have
// a pair cost more than it saved: at 1M statements it was a third of the first page's
// time (Dyfed-Powys: 90 ms with it, 66 ms without), and the global form ran out of a 6 GiB
// buffer pool with it. With -p subject the runner sends
// queries/scoped/self-vs-others.cypher, the same query anchored on the subject's key.
MATCH (x)<-[ro:ABOUT]-(own:Statement)
WHERE ($subject = '' OR x.id = $subject) AND own.kind = 'status' AND own.speaker = x.id
// speaker and deployment by their ids on the statement (queries/claims-about.cypher)
OPTIONAL MATCH (d:Trial|Technology)
WHERE d.id = own.deployment
WITH x, own, ro, d
ORDER BY x.name, d.name, ro.valid_from, own.id
LIMIT $anchors
MATCH (x)<-[rt:ABOUT]-(theirs:Statement)
WHERE theirs.kind = 'status' AND theirs.speaker <> x.id
  AND (theirs.deployment IN own.concerns OR own.deployment IN theirs.concerns)
MATCH (sp:Force|Body|Person)
WHERE sp.id = theirs.speaker
RETURN x.name AS subject, d.name AS deployment, own.status AS self_status,
       ro.valid_from AS self_from, sp.name AS other, theirs.status AS other_status,
       rt.valid_from AS other_from, own.stance = theirs.stance AS agree,
       own.id AS self_statement, theirs.id AS other_statement
ORDER BY subject, deployment, self_from, self_statement, other, other_statement
SKIP $skip LIMIT $limit
