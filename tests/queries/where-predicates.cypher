// WHERE with string predicates, IN, IS NULL, XOR, a label test and a pattern predicate.
MATCH (n)
WHERE (n.name STARTS WITH 'Ada' OR n.name CONTAINS 'script' OR n.id IN ['kz', 'il'])
  AND n.id <> '1992-08'
  AND (n.founded IS NULL XOR n:countries)
  AND NOT (n)-[:knows]->()
RETURN n.id AS id, labels(n) AS labels
ORDER BY id
