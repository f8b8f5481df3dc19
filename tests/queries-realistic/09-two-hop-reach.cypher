MATCH (a {id: 'p0000001'})-[*1..2]-(b) RETURN count(DISTINCT b)
