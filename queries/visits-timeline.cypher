// When did the leaders of Kazakhstan and Israel visit each other?
MATCH (p:people)-[v:visited]->(c:countries)
RETURN v.start AS year, p.name AS visitor, p.title AS title, c.name AS visited, v.visit_kind AS kind
ORDER BY v.start_from, visitor
