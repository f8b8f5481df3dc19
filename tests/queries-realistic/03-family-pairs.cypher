MATCH (a:people)-[r:family_of]-(b:people) RETURN a.id, b.id, r.rid ORDER BY a.id, b.id, r.rid LIMIT 20
