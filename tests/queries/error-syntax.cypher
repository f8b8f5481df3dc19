// A syntax error points at the token.
MATCH (p:people -[:visited]->(c)
RETURN p
