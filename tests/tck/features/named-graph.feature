# The TCK's named graphs (`Given the binary-tree-1 graph`) are Cypher scripts in graphs/NAME/
# beside its features; the runner finds tests/tck/graphs/ the same way.

Feature: named-graph - a graph set up by its name

  Scenario: [1] A named graph, from graphs/ beside the features, as the TCK names them
    Given the small-tree graph
    When executing query:
      """
      MATCH (a:A)-[:KNOWS]->(b)-->(c)
      OPTIONAL MATCH (a)-[r:KNOWS]->(c)
      WITH c WHERE r IS NULL
      RETURN c.name
      """
    Then the result should be, in any order:
      | c.name |
      | 'c1'   |
    And no side effects
