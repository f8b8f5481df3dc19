CREATE (a:A {name: 'a'}),
       (b1:X {name: 'b1'}),
       (b2:X {name: 'b2'}),
       (c1:X {name: 'c1'})
CREATE (a)-[:KNOWS]->(b1),
       (a)-[:KNOWS]->(b2),
       (b1)-[:FRIEND]->(b2),
       (b1)-[:FRIEND]->(c1);
