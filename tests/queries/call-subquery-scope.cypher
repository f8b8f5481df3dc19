// CALL (p) { }: the variables a subquery imports named in the scope clause; each person's
// first relation by type, people without any dropped.
// differential: skip (FalkorDB 4 reads only the importing WITH form)
MATCH (p:people)
CALL (p) {
  MATCH (p)-[r]->(x)
  RETURN type(r) AS first ORDER BY first LIMIT 1
}
RETURN p.id AS id, first
ORDER BY id
