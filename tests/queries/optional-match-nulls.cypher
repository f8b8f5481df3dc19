// OPTIONAL MATCH keeps people without visits, with nulls.
MATCH (p:people)
OPTIONAL MATCH (p)-[v:visited]->(c)
RETURN p.id AS person, c.id AS visited, v.start AS year
ORDER BY person, year
