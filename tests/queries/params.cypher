// Parameters fill $name.
// param: year=1900
MATCH (n:people)
WHERE n.born > $year
RETURN n.id AS id, n.born AS born
