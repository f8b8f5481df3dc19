MATCH (p:people)-[x:resides_at]->(a:addresses)<-[y:registered_at]-(c:companies) RETURN p.id, a.id, c.id, x.rid, y.rid ORDER BY p.id, a.id, c.id, x.rid, y.rid LIMIT 25
