// ties 0.1.0 export: whole graph, 8 entities, 6 relations (openCypher, CREATE mode: run it on an empty graph)
// Written for neo4j (--dialect). Neo4j: cypher-shell -f graph.cypher · Memgraph: mgconsole < graph.cypher · FalkorDB: one GRAPH.QUERY per statement
// The index first, so that each batch of relationships finds its ends by id.
CREATE INDEX FOR (n:Entity) ON (n.id);

UNWIND [
['kz', 'Kazakhstan', '1991-12-16'], ['il', 'Israel', '1948-05'], ['1992-08', 'a];b [URL="javascript:alert(1)"]', null], ['script', '<script>alert(1)</script>', null]
] AS row
CREATE (n:Entity:countries {id: row[0], name: row[1], founded: row[2]});

UNWIND [
['ada', 'Ada "the first" <Lovelace> & co', 1815, ['Ada', 'A. L.'], true, 1.65], ['nur', 'Нұрсұлтан\nНазарбаев 🇰🇿', 1940, null, false, null], ['x1', 'x" image="/etc/passwd', null, null, null, null], ['node', '</data><data key="label">', null, null, null, null]
] AS row
CREATE (n:Entity:people {id: row[0], name: row[1], born: row[2], aliases: row[3], active: row[4], height: row[5]});

UNWIND [
['nur', 'il', 'e0', '1995', '1995-01-01', 2.5, 'first, official'], ['nur', 'il', 'e1', '2000-05', '2000-05-01', null, 'second "working" visit']
] AS row
MATCH (a:Entity {id: row[0]}), (b:Entity {id: row[1]})
CREATE (a)-[:visited {rid: row[2], start: row[3], start_from: row[4], weight: row[5], note: row[6]}]->(b);

UNWIND [
['kz', 'il', 'e2', '1992-08', '1992-08-01', 'C:\\new\\ path & <b>bold</b>']
] AS row
MATCH (a:Entity {id: row[0]}), (b:Entity {id: row[1]})
CREATE (a)-[:diplomatic_relations {rid: row[2], start: row[3], start_from: row[4], note: row[5]}]->(b);

UNWIND [
['ada', 'nur', 'e3', '1990', '1990-01-01', '1991-12-31', '1991-12-31', 0.0, 'bell\u0007 here']
] AS row
MATCH (a:Entity {id: row[0]}), (b:Entity {id: row[1]})
CREATE (a)-[:knows {rid: row[2], start: row[3], start_from: row[4], end: row[5], end_to: row[6], weight: row[7], note: row[8]}]->(b);

UNWIND [
['x1', '1992-08', 'e4', null, '\'}) DETACH DELETE n //'], ['node', 'script', 'e5', 1.0, '*/ `backtick` \\u0060']
] AS row
MATCH (a:Entity {id: row[0]}), (b:Entity {id: row[1]})
CREATE (a)-[:mentions {rid: row[2], weight: row[3], note: row[4]}]->(b);
