// Which relations in the network had begun before the Abraham Accords announcement of 2025?
MATCH (a)-[r]->(b)
WHERE r.start_from < '2025-01-01'
RETURN r.start AS since, a.name AS from, type(r) AS relation, b.name AS to
ORDER BY r.start_from, from, relation
