MATCH (k:companies)-[x:paid]->(m:companies) MATCH (m)-[y:paid]->(k) RETURN k.id, m.id, x.rid, y.rid ORDER BY k.id, m.id, x.rid, y.rid
