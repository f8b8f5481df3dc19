// Writes are refused.
MATCH (n {id: 'ada'})
SET n.name = 'x'
RETURN n
