# A feature whose graph is set up in a Background, as the TCK's newer features are (Match5,
# Match6, ...): its steps run before each scenario's own.

Feature: background - a graph set up once for every scenario

  Background:
    Given an empty graph
    And having executed:
      """
      CREATE (a:A {name: 'a'})-[:T]->(b:B {name: 'b'})-[:T]->(c:C {name: 'c'})
      """

  Scenario: [1] The background's graph is there
    When executing query:
      """
      MATCH (x)-[:T*2]->(y) RETURN x.name AS x, y.name AS y
      """
    Then the result should be, in any order:
      | x   | y   |
      | 'a' | 'c' |
    And no side effects

  Scenario: [2] A scenario adds to the background's graph
    And having executed:
      """
      CREATE (:A {name: 'd'})
      """
    When executing query:
      """
      MATCH (x:A) RETURN x.name AS name ORDER BY name
      """
    Then the result should be, in order:
      | name |
      | 'a'  |
      | 'd'  |
    And no side effects
