// Aggregation groups by the other columns.
MATCH (a)-[r]->(b)
RETURN type(r) AS type, count(*) AS n, count(DISTINCT a) AS sources, collect(b.id) AS targets, sum(r.weight) AS weight
ORDER BY type
