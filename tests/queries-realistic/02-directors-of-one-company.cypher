MATCH (p)-[:director_of]->(c:companies {id: 'k0000004'}) RETURN p.name ORDER BY p.name
