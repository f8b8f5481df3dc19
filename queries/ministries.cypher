// Which ministries took part in exchanges, for which country, and when?
MATCH (m:ministries)-[r:exchanged_visits|delegation_visited]->(c:countries)
MATCH (m)-[:ministry_of]->(home:countries)
RETURN home.name AS ministry_of, m.name AS ministry, type(r) AS exchange, c.name AS with, r.start AS from, r.end AS until
ORDER BY ministry_of, ministry
