// A variable bound as a relationship cannot be read as a node: refused before running, so
// the answer does not depend on whether anything matches.
MATCH ()-[r:no_such_type]-() MATCH (r) RETURN r
