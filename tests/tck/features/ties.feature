# Our own scenarios in the TCK's format, written for ties: they keep tests/tck/run.py honest
# (every notation it reads, every way a scenario can end) and run in CI. The openCypher TCK
# itself is not vendored; point run.py at a checkout of it to measure against it.

Feature: ties - scenarios in the TCK's notation

  Scenario: [1] Nodes with their label and properties
    Given an empty graph
    And having executed:
      """
      CREATE (:Person {name: 'Ada', born: 1815}), (:Person {name: 'Nur', born: 1940}), (:Country {name: 'Israel'})
      """
    When executing query:
      """
      MATCH (p:Person) RETURN p, p.born AS born
      """
    Then the result should be, in any order:
      | p                                     | born |
      | (:Person {name: 'Ada', born: 1815})   | 1815 |
      | (:Person {name: 'Nur', born: 1940})   | 1940 |
    And no side effects

  Scenario: [2] Relationships, directions and paths
    Given an empty graph
    And having executed:
      """
      CREATE (a:A {name: 'a'})-[:T {w: 1}]->(b:B {name: 'b'}), (c:C {name: 'c'})-[:S]->(b)
      """
    When executing query:
      """
      MATCH p = (a:A)-[r:T]->(b)<-[:S]-(c) RETURN r, p
      """
    Then the result should be, in any order:
      | r             | p                                                                      |
      | [:T {w: 1}]   | <(:A {name: 'a'})-[:T {w: 1}]->(:B {name: 'b'})<-[:S]-(:C {name: 'c'})> |
    And no side effects

  Scenario: [3] Ordered results, floats, lists and maps
    Given any graph
    When executing query:
      """
      UNWIND [3, 1, 2] AS x
      RETURN x, x / 2.0 AS half, [x, 'x'] AS pair, {value: x} AS map
      ORDER BY x DESC
      """
    Then the result should be, in order:
      | x | half | pair     | map         |
      | 3 | 1.5  | [3, 'x'] | {value: 3}  |
      | 2 | 1.0  | [2, 'x'] | {value: 2}  |
      | 1 | 0.5  | [1, 'x'] | {value: 1}  |
    And no side effects

  Scenario: [4] Lists compared without their order
    Given an empty graph
    And having executed:
      """
      CREATE (:N {name: 'x', v: 1}), (:N {name: 'y', v: 2})
      """
    When executing query:
      """
      MATCH (n:N) RETURN collect(n.v) AS vs
      """
    Then the result should be (ignoring element order for lists):
      | vs     |
      | [2, 1] |
    And no side effects

  Scenario: [5] No rows
    Given an empty graph
    When executing query:
      """
      MATCH (n:Nothing) RETURN n
      """
    Then the result should be empty
    And no side effects

  Scenario Outline: [6] Integer arithmetic
    Given any graph
    When executing query:
      """
      RETURN <left> <op> <right> AS result
      """
    Then the result should be, in any order:
      | result   |
      | <result> |
    And no side effects

    Examples:
      | left | op | right | result |
      | 7    | +  | 3     | 10     |
      | 7    | %  | 3     | 1      |
      | 7    | /  | 2     | 3      |
      | 2    | ^  | 3     | 8.0    |

  Scenario: [7] A parameter
    Given any graph
    And parameters are:
      | limit | 2 |
    When executing query:
      """
      UNWIND range(1, 10) AS i RETURN i LIMIT $limit
      """
    Then the result should be, in order:
      | i |
      | 1 |
      | 2 |
    And no side effects

  Scenario: [8] A relationship variable used as a node is refused
    Given any graph
    When executing query:
      """
      MATCH ()-[r]-() MATCH (r) RETURN r
      """
    Then a SyntaxError should be raised at compile time: VariableTypeConflict

  Scenario: [9] An aggregate inside WHERE is refused
    Given any graph
    When executing query:
      """
      MATCH (a) WHERE count(a) > 1 RETURN a
      """
    Then a SyntaxError should be raised at compile time: InvalidAggregation

  Scenario: [10] A node without a label cannot be written as CSV, so the scenario is skipped
    Given an empty graph
    And having executed:
      """
      CREATE ({name: 'nobody'})
      """
    When executing query:
      """
      MATCH (n) RETURN n.name AS name
      """
    Then the result should be, in any order:
      | name     |
      | 'nobody' |
    And no side effects

  Scenario: [11] List and map parameters
    Given any graph
    And parameters are:
      | expr | ['Apa']        |
      | idx  | 0              |
      | map  | {name: 'Ada'}  |
    When executing query:
      """
      WITH $expr AS expr, $idx AS idx
      RETURN expr[idx] AS value, $map.name AS name
      """
    Then the result should be, in any order:
      | value | name  |
      | 'Apa' | 'Ada' |
    And no side effects

  Scenario: [12] Local times sort by the clock, zoned times by their instant
    Given any graph
    When executing query:
      """
      UNWIND [time('12:31:14+01:00'), time('12:35:15+05:00'), time('12:30:14.5+01:01')] AS t
      WITH t ORDER BY t
      RETURN collect(t) AS times, localtime({hour: 10, minute: 35}) AS local
      """
    Then the result should be, in order:
      | times                                                  | local   |
      | ['12:35:15+05:00', '12:30:14.5+01:01', '12:31:14+01:00'] | '10:35' |
    And no side effects

  Scenario: [13] Table cells unescaped as Gherkin does, then read as Cypher strings
    Given any graph
    When executing query:
      """
      RETURN 'a|b' AS bar, 'x\\y' AS backslash, 'one\ntwo' AS lines, 'it\'s' AS quote
      """
    Then the result should be, in any order:
      | bar     | backslash | lines        | quote     |
      | 'a\|b'  | 'x\\\\y'  | 'one\ntwo'   | 'it\'s'   |
    And no side effects
