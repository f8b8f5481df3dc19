MATCH (a:people {id: 'p0000002'})-[r1]-(m)-[r2]-(b:people) WHERE a <> b RETURN b.id, count(*) AS n ORDER BY n DESC, b.id LIMIT 10
