// Pattern comprehensions collect one value per match of the pattern.
MATCH (p:people)
RETURN p.id AS id,
       [(p)-[v:visited]->(c) WHERE v.start IS NOT NULL | c.id] AS visited,
       size([(p)-[:knows]->(q) | q]) AS knows
ORDER BY id
