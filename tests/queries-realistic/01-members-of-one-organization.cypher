MATCH (p:people)-[r:member_of]->(o) WHERE o.id = 'o0000003' RETURN p.id, r.rid ORDER BY p.id, r.rid
