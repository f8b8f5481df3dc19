MATCH (p:people) RETURN p.nationality AS n, count(*) AS c ORDER BY c DESC, n LIMIT 5
