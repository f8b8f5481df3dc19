// CALL { }: a subquery run for each row, importing the row's variable with WITH; a row it
// answers nothing for would be dropped, so it counts (count is one row even for none).
MATCH (p:people)
CALL {
  WITH p
  MATCH (p)-[r]->()
  RETURN count(r) AS relations
}
RETURN p.id AS id, relations
ORDER BY relations DESC, id
