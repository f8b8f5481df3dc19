// Which agreements and joint bodies tie Kazakhstan and Israel together, and since when?
MATCH (k:countries {id: 'kazakhstan'})-[r]->(a)<-[s]-(i:countries {id: 'israel'})
WHERE a:agreements OR a:organizations
RETURN a.name AS agreement, type(r) AS kazakhstan, type(s) AS israel, r.start AS since
ORDER BY since, agreement
