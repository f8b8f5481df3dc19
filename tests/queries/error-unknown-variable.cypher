// An unknown variable is named.
MATCH (n:people)
RETURN m.name
