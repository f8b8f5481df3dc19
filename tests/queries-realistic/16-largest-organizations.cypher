MATCH (o:organizations)<-[r:member_of]-(p) WITH o, count(r) AS members ORDER BY members DESC, o.id LIMIT 3 RETURN o.id, members
