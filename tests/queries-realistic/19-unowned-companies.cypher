MATCH (c:companies) WHERE NOT (c)<-[:owns]-() RETURN count(c)
