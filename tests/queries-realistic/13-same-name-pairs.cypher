MATCH (a:people), (b:people) WHERE a.name = b.name AND a.id < b.id RETURN a.id, b.id ORDER BY a.id, b.id
