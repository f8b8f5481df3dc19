MATCH (x)-[r:paid]->(y) WHERE y.id = 'k0000000' RETURN x.id, r.source ORDER BY x.id, r.source
