MATCH (a:people)-[d:director_of]->(c:companies), (a)-[s:shareholder_of]->(c) RETURN a.id, c.id, d.rid, s.rid ORDER BY a.id, c.id, d.rid, s.rid
