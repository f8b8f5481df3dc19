UNWIND ['p0000001', 'p0000002', 'k0000000'] AS i MATCH (n {id: i})-[r]-() RETURN i, count(r) ORDER BY i
