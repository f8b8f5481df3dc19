// For `benches/realistic.py --size large`: names with accents, Cyrillic and shared surnames.
MATCH (p:people {id: 'p0000001'})-[r]-(x) RETURN type(r) AS t, count(*) AS n ORDER BY n DESC
MATCH (p:people) WHERE p.name STARTS WITH 'Khalid' RETURN count(*)
MATCH (p:people) RETURN p.name ORDER BY p.name DESC LIMIT 10
MATCH (p:people) RETURN p.nationality AS c, count(*) AS n ORDER BY n DESC LIMIT 5
MATCH (p:people)-[:member_of]->(o) WHERE o.id = 'o000010' RETURN p.name ORDER BY p.name
MATCH (a:people {id: 'p0000001'})-[*1..3]-(b:companies) RETURN count(DISTINCT b)
MATCH (a:people)-[:family_of]-(b:people) WHERE a.name = b.name RETURN count(*)
MATCH (c:companies)-[:owns|shareholder_of]->(d:companies) RETURN count(*)
MATCH (p:people) WITH split(p.name, ' ')[-1] AS surname, count(*) AS n RETURN surname, n ORDER BY n DESC, surname LIMIT 10
MATCH (p:people) WHERE p.name_original IS NOT NULL RETURN p.name_original ORDER BY p.name_original LIMIT 5
