// A quantifier and a comprehension over an aggregated list.
MATCH (p:people)
RETURN all(b IN collect(p.born) WHERE b IS NULL OR b < 2000) AS all_born_before_2000,
       [b IN collect(p.born) WHERE b IS NOT NULL | b + 1] AS next_years
