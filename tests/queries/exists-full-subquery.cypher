// A whole query inside EXISTS { }: entities with relations of more than one type.
// differential: skip (FalkorDB has no EXISTS { } subquery)
MATCH (n)
WHERE EXISTS {
  MATCH (n)-[r]-()
  WITH n, count(DISTINCT type(r)) AS types
  WHERE types > 1
  RETURN true
}
RETURN n.id AS id
ORDER BY id
