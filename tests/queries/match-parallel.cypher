// Parallel relations are distinct matches: two visits, two rows.
MATCH (p:people {id: 'nur'})-[v:visited]->(c)
RETURN p.id AS person, c.id AS country, v.start AS year, v.rid AS rid
ORDER BY year
