MATCH (c:companies) RETURN c.name ORDER BY c.name SKIP 5 LIMIT 3
