// List comprehensions, quantifiers, indexing and slicing over the people's aliases and years.
MATCH (p:people)
WITH p, coalesce(p.aliases, []) AS aliases
RETURN p.id AS id,
       [a IN aliases WHERE size(a) > 3 | toUpper(a)] AS long_aliases,
       size([a IN aliases]) AS alias_count,
       any(a IN aliases WHERE a STARTS WITH 'A') AS some_a,
       all(a IN aliases WHERE a STARTS WITH 'A') AS all_a,
       none(a IN aliases WHERE a = 'Ada') AS no_ada,
       single(y IN [1815, 1940] WHERE y = p.born) AS one_year,
       aliases[0] AS first_alias,
       aliases[-1] AS last_alias,
       aliases[1..] AS rest,
       range(1, 10, 4)[..2] AS steps
ORDER BY id
