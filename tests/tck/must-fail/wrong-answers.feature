# Scenarios whose expectations are wrong on purpose: run.py --expect-fail must report every one
# as failed, so a harness that compares nothing (or too loosely) turns CI red.

Feature: ties - wrong expectations the harness must catch

  Scenario: [1] A wrong number
    Given any graph
    When executing query:
      """
      RETURN 1 + 1 AS two
      """
    Then the result should be, in any order:
      | two |
      | 3   |

  Scenario: [2] An integer where a float is expected
    Given any graph
    When executing query:
      """
      RETURN 2 AS two
      """
    Then the result should be, in any order:
      | two |
      | 2.0 |

  Scenario: [3] Rows in the wrong order
    Given any graph
    When executing query:
      """
      UNWIND [1, 2] AS x RETURN x ORDER BY x
      """
    Then the result should be, in order:
      | x |
      | 2 |
      | 1 |

  Scenario: [4] A node with a property it does not have
    Given an empty graph
    And having executed:
      """
      CREATE (:A {name: 'a'})
      """
    When executing query:
      """
      MATCH (n:A) RETURN n
      """
    Then the result should be, in any order:
      | n                        |
      | (:A {name: 'a', num: 1}) |

  Scenario: [5] A relationship the wrong way round in a path
    Given an empty graph
    And having executed:
      """
      CREATE (:A {name: 'a'})-[:T]->(:B {name: 'b'})
      """
    When executing query:
      """
      MATCH p = (:A)-->(:B) RETURN p
      """
    Then the result should be, in any order:
      | p                                          |
      | <(:A {name: 'a'})<-[:T]-(:B {name: 'b'})>   |

  Scenario: [6] A missing row
    Given any graph
    When executing query:
      """
      UNWIND [1, 2] AS x RETURN x
      """
    Then the result should be, in any order:
      | x |
      | 1 |

  Scenario: [7] An error where the query is valid
    Given any graph
    When executing query:
      """
      RETURN 1 AS one
      """
    Then a SyntaxError should be raised at compile time: UndefinedVariable

  Scenario: [8] A wrong column name
    Given any graph
    When executing query:
      """
      RETURN 1 AS one
      """
    Then the result should be, in any order:
      | uno |
      | 1   |

  Scenario: [9] Rows where there are none
    Given any graph
    When executing query:
      """
      UNWIND [] AS x RETURN x
      """
    Then the result should be, in any order:
      | x |
      | 1 |

  Scenario: A line break is not the letter n
    Given any graph
    When executing query:
      """
      RETURN 'one\ntwo' AS lines
      """
    Then the result should be, in any order:
      | lines       |
      | 'onentwo'   |
    And no side effects
