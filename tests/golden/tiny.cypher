// ties 0.1.0 export: whole graph, 8 entities, 6 relations (openCypher, CREATE mode: run it on an empty graph)
// Neo4j: cypher-shell -f graph.cypher · Memgraph: mgconsole < graph.cypher · FalkorDB: one GRAPH.QUERY per statement
// On large graphs index :Entity(id) first. Neo4j 5: CREATE CONSTRAINT ties_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
// Memgraph: CREATE INDEX ON :Entity(id); · FalkorDB: CREATE INDEX FOR (n:Entity) ON (n.id)

UNWIND [
  {id: 'kz', name: 'Kazakhstan', founded: '1991-12-16'},
  {id: 'il', name: 'Israel', founded: '1948-05'},
  {id: '1992-08', name: 'a];b [URL="javascript:alert(1)"]'},
  {id: 'script', name: '<script>alert(1)</script>'}
] AS row
CREATE (n:Entity:countries {id: row.id, name: row.name, founded: row.founded});

UNWIND [
  {id: 'ada', name: 'Ada "the first" <Lovelace> & co', born: 1815, aliases: ['Ada', 'A. L.'], active: true, height: 1.65},
  {id: 'nur', name: 'Нұрсұлтан\nНазарбаев 🇰🇿', born: 1940, active: false},
  {id: 'x1', name: 'x" image="/etc/passwd'},
  {id: 'node', name: '</data><data key="label">'}
] AS row
CREATE (n:Entity:people {id: row.id, name: row.name, born: row.born, aliases: row.aliases, active: row.active, height: row.height});

UNWIND [
  {from: 'nur', to: 'il', rid: 'e0', start: '1995', start_from: '1995-01-01', weight: 2.5, note: 'first, official'},
  {from: 'nur', to: 'il', rid: 'e1', start: '2000-05', start_from: '2000-05-01', note: 'second "working" visit'}
] AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
CREATE (a)-[:visited {rid: row.rid, start: row.start, start_from: row.start_from, weight: row.weight, note: row.note}]->(b);

UNWIND [
  {from: 'kz', to: 'il', rid: 'e2', start: '1992-08', start_from: '1992-08-01', note: 'C:\\new\\ path & <b>bold</b>'}
] AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
CREATE (a)-[:diplomatic_relations {rid: row.rid, start: row.start, start_from: row.start_from, note: row.note}]->(b);

UNWIND [
  {from: 'ada', to: 'nur', rid: 'e3', start: '1990', start_from: '1990-01-01', end: '1991-12-31', end_to: '1991-12-31', weight: 0.0, note: 'bell\u0007 here'}
] AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
CREATE (a)-[:knows {rid: row.rid, start: row.start, start_from: row.start_from, end: row.end, end_to: row.end_to, weight: row.weight, note: row.note}]->(b);

UNWIND [
  {from: 'x1', to: '1992-08', rid: 'e4', note: '\'}) DETACH DELETE n //'},
  {from: 'node', to: 'script', rid: 'e5', weight: 1.0, note: '*/ `backtick` \\u0060'}
] AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
CREATE (a)-[:mentions {rid: row.rid, weight: row.weight, note: row.note}]->(b);
