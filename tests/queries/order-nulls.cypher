// ORDER BY puts nulls last ascending and first descending.
MATCH (p:people)
RETURN p.id AS id, p.born AS born
ORDER BY born DESC, id
