// shortestPath maps onto the path engine: one shortest path, its length and its entities.
// differential: skip (FalkorDB allows shortestPath only in WITH or RETURN)
MATCH p = shortestPath((a {id: 'ada'})-[*..5]-(b {id: 'kz'}))
RETURN length(p) AS hops, nodes(p) AS entities
