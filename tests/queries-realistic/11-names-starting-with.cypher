MATCH (p:people) WHERE p.name STARTS WITH 'Khalid' RETURN p.id ORDER BY p.id
