MATCH (p:people) WITH split(p.name, ' ')[-1] AS surname, count(*) AS n WHERE n > 3 RETURN surname, n ORDER BY n DESC, surname LIMIT 10
