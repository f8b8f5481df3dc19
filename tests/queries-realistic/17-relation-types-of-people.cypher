MATCH (p:people)-[r]->(x) RETURN type(r) AS t, count(*) AS n ORDER BY t
