// UNION ALL keeps every row of every part, duplicates included.
MATCH (c:countries) WHERE c.founded IS NOT NULL RETURN c.id AS id
UNION ALL
MATCH (c:countries) WHERE c.id = 'il' RETURN c.id AS id
