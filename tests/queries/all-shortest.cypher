// ALL SHORTEST returns every shortest path: the two visits give two.
// differential: skip (FalkorDB has no GQL path selectors)
MATCH p = ALL SHORTEST (a {id: 'ada'})-[*]-(b {id: 'il'})
RETURN length(p) AS hops, relationships(p) AS rels
