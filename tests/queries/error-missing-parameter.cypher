// A missing parameter says how to pass it.
MATCH (n)
WHERE n.id = $nobody
RETURN n
