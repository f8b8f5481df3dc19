MATCH (c:companies {id: 'k0000000'}) OPTIONAL MATCH (c)<-[:owns]-(o) RETURN c.id, count(o)
