// Regular expressions match the whole string.
// differential: skip (FalkorDB does not support =~)
MATCH (n)
WHERE n.name =~ '(?i)is.*' OR n.id =~ '[0-9-]+'
RETURN n.id AS id, n.name AS name
ORDER BY id
