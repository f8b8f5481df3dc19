// Variable length with trail semantics: every walk of 1 to 3 relationships from ada
// (a relationship at most once, an entity may come back).
MATCH p = (a {id: 'ada'})-[*1..3]-(b)
RETURN b.id AS reached, length(p) AS hops
ORDER BY hops, reached
