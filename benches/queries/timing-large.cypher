MATCH (p:people {id: 'p413021'})-[r]-(x) RETURN type(r) AS t, count(*) AS n ORDER BY n DESC
MATCH (p:people)-[:member_of]->(o:organizations) WHERE p.id = 'p000001' RETURN o.id
MATCH (x)-[:member_of]->(o) WHERE o.id = 'o019393' RETURN count(x)
MATCH (p:people) RETURN p.name ORDER BY p.born DESC, p.id LIMIT 10
MATCH (p:people) WHERE p.born > 1990 RETURN count(*)
MATCH (p:people) RETURN p.nationality AS c, count(*) AS n ORDER BY n DESC LIMIT 5
MATCH (c:companies)-[:owns]->(d:companies) RETURN count(*)
MATCH (a:people {id: 'p000001'})-[*1..3]-(b:companies) RETURN count(DISTINCT b)
MATCH p = shortestPath((a {id: 'p413021'})-[*..12]-(b {id: 'k027950'})) RETURN length(p)
MATCH (p:people)-[:visited]->(c:countries) RETURN c.id, count(*) AS n ORDER BY n DESC LIMIT 3
MATCH (a:people {id: 'p000001'}), (b:people {id: 'p000002'}) MATCH (a)-[:member_of]->(o)<-[:member_of]-(b) RETURN o.id
MATCH (p:people) WHERE (p)-[:holds]->() RETURN count(p)
MATCH (n) RETURN n.id LIMIT 5
UNWIND range(1, 200000) AS i RETURN i ORDER BY i DESC LIMIT 3
MATCH (p:people)-[:employs|member_of]-(x) WITH p, count(x) AS d WHERE d > 3 RETURN count(p)
