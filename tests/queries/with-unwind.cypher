// WITH projects and filters; UNWIND turns a list into rows.
MATCH (p:people)
WITH p, p.aliases AS aliases
WHERE aliases IS NOT NULL
UNWIND aliases AS alias
RETURN p.id AS person, alias, toUpper(alias) AS upper, size(alias) AS length
ORDER BY alias
