MATCH (c:companies) RETURN c.name ORDER BY c.name DESC LIMIT 7
