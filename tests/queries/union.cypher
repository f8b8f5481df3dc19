// UNION removes duplicate rows across the parts; UNION ALL keeps them.
MATCH (c:countries) WHERE c.founded IS NOT NULL RETURN c.id AS id
UNION
MATCH (p:people)-[:visited]->(c:countries) RETURN c.id AS id
UNION
MATCH (p:people) WHERE p.born > 1900 RETURN p.id AS id
