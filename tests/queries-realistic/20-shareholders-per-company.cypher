MATCH (c:companies) RETURN c.id, size([(c)<-[:shareholder_of]-(p) | p]) AS holders ORDER BY holders DESC, c.id LIMIT 5
