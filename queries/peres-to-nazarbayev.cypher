// How is Shimon Peres connected to Nursultan Nazarbayev?
// differential: skip (FalkorDB allows shortestPath only in WITH or RETURN)
MATCH p = allShortestPaths((a:people {id: 'shimon-peres'})-[*..6]-(b:people {id: 'nursultan-nazarbayev'}))
RETURN p AS path, length(p) AS hops
