// An undirected pattern returns each relationship in its stored direction.
MATCH (c:countries {id: 'il'})-[r]-(other)
RETURN other.id AS other, type(r) AS type, startNode(r).id AS from, endNode(r).id AS to
ORDER BY r.rid
