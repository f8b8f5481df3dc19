MATCH (a:companies)-[x:owns]->(b:companies)-[y:owns]->(c:companies) RETURN a.id, b.id, c.id, x.rid, y.rid ORDER BY a.id, b.id, c.id, x.rid, y.rid LIMIT 15
