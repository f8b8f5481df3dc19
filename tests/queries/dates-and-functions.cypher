// Partial dates compare as intervals; functions on values.
// differential: skip (in the exported graph dates are text; ties compares them as dates)
MATCH (a)-[r]->(b)
WHERE r.start <= date('2000') AND r.start IS NOT NULL
RETURN r.rid AS rid, r.start AS start, toString(r.start) AS text, r.start_from AS start_from,
       coalesce(r.weight, 0) AS weight, substring(r.note, 0, 5) AS note5, split('a,b', ',') AS parts,
       abs(-2) AS two, toInteger('42') AS n, toFloat('2.5') AS x, head([1, 2]) AS first, last([1, 2]) AS final
ORDER BY rid
