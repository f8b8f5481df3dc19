MATCH p = shortestPath((a {id: 'p0000001'})-[*..8]-(b {id: 'k0000004'})) RETURN length(p)
// differential: skip (FalkorDB runs shortestPath only in WITH or RETURN)
