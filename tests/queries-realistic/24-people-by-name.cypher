MATCH (p:people) RETURN p.name ORDER BY p.name LIMIT 12
