// EXISTS { } asks whether the pattern, with its WHERE, has a match.
// differential: skip (FalkorDB has no EXISTS { } subquery)
MATCH (p:people)
WHERE EXISTS { MATCH (p)-[v:visited]->(c:countries) WHERE v.start >= date('2000') }
   OR EXISTS { (p)-[:knows]->() }
RETURN p.id AS id
ORDER BY id
