// CALL { ... UNION ... }: the parts' rows together, duplicates removed, then sorted outside.
CALL {
  MATCH (c:countries) RETURN c.id AS id
  UNION
  MATCH (p:people)-[:visited]->(c) RETURN c.id AS id
}
RETURN id
ORDER BY id
