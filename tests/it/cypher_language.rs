//! The openCypher constructs `ties query` runs, each stated as a query and its answer on an
//! empty graph (the rules are in `docs/cypher.md`; the cases are written from openCypher's
//! semantics, not taken from its TCK).

use std::collections::BTreeMap;

use ties::cypher::{self, Limits};
use ties::graph::KnowledgeGraph;

fn empty() -> KnowledgeGraph {
    KnowledgeGraph::from_csv(&[("things", "id\n")], &[], None).unwrap()
}

/// Runs `query` and returns its one row as `column=value` pairs, or the error message.
fn answer(kg: &KnowledgeGraph, query: &str) -> String {
    let adjacency = kg.adjacency();
    match cypher::run(kg, adjacency, query, BTreeMap::new(), Limits::default()) {
        Ok(result) => result
            .rows
            .iter()
            .map(|row| {
                result
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| format!("{c}={}", v.display(kg)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(err) => format!("error: {}", err.message),
    }
}

#[track_caller]
fn check(cases: &[(&str, &str)]) {
    check_on(&empty(), cases);
}

/// Runs each query on `kg` and compares its answer (see [`answer`]).
#[track_caller]
fn check_on(kg: &KnowledgeGraph, cases: &[(&str, &str)]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(query, want)| {
            let got = answer(kg, query);
            (got != *want).then(|| format!("{query}\n  want: {want}\n  got:  {got}"))
        })
        .collect();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn case_picks_the_first_arm_that_holds() {
    check(&[
        (
            "RETURN CASE 3 WHEN 1 THEN 'a' WHEN 3 THEN 'c' ELSE 'z' END AS v",
            "v=c",
        ),
        ("RETURN CASE 9 WHEN 1 THEN 'a' ELSE 'z' END AS v", "v=z"),
        ("RETURN CASE 9 WHEN 1 THEN 'a' END AS v", "v="),
        (
            "RETURN CASE null WHEN null THEN 'eq' ELSE 'not' END AS v",
            "v=not",
        ),
        (
            "RETURN CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' END AS v",
            "v=b",
        ),
        ("RETURN CASE WHEN null THEN 'a' ELSE 'b' END AS v", "v=b"),
        (
            "RETURN CASE 1.0 WHEN 1 THEN 'numbers compare' END AS v",
            "v=numbers compare",
        ),
    ]);
}

#[test]
fn comprehensions_filter_then_map() {
    check(&[
        (
            "RETURN [x IN [1, 2, 3, 4] WHERE x % 2 = 0] AS v",
            "v=[2, 4]",
        ),
        ("RETURN [x IN [1, 2, 3] | x * 10] AS v", "v=[10, 20, 30]"),
        ("RETURN [x IN [1, null, 3] WHERE x > 1 | x] AS v", "v=[3]"),
        ("RETURN [x IN null | x] AS v", "v="),
        ("RETURN [x IN [[1, 2], [3]] | size(x)] AS v", "v=[2, 1]"),
        (
            "WITH 5 AS k RETURN [x IN range(1, 3) | x + k] AS v",
            "v=[6, 7, 8]",
        ),
        (
            "RETURN [x IN 'abc' | x] AS v",
            "error: `x IN ...` needs a list, not a string",
        ),
    ]);
}

#[test]
fn quantifiers_use_three_valued_logic() {
    check(&[
        ("RETURN all(x IN [] WHERE false) AS v", "v=true"),
        ("RETURN any(x IN [] WHERE true) AS v", "v=false"),
        ("RETURN none(x IN [] WHERE true) AS v", "v=true"),
        ("RETURN single(x IN [] WHERE true) AS v", "v=false"),
        ("RETURN all(x IN [2, null] WHERE x = 2) AS v", "v="),
        ("RETURN all(x IN [0, null] WHERE x = 2) AS v", "v=false"),
        ("RETURN any(x IN [2, null] WHERE x = 2) AS v", "v=true"),
        ("RETURN any(x IN [0, null] WHERE x = 2) AS v", "v="),
        ("RETURN none(x IN [2, null] WHERE x = 2) AS v", "v=false"),
        ("RETURN none(x IN [0, null] WHERE x = 2) AS v", "v="),
        ("RETURN single(x IN [2, 2] WHERE x = 2) AS v", "v=false"),
        ("RETURN single(x IN [2, null] WHERE x = 2) AS v", "v="),
        ("RETURN single(x IN [2, 3] WHERE x = 2) AS v", "v=true"),
        (
            "RETURN all(x IN [null, null] WHERE x IS NULL) AS v",
            "v=true",
        ),
        ("RETURN any(x IN null WHERE true) AS v", "v="),
    ]);
}

#[test]
fn indexes_and_slices_count_from_either_end() {
    check(&[
        (
            "WITH [10, 20, 30] AS l RETURN l[0] AS a, l[-1] AS b, l[3] AS c, l[-4] AS d",
            "a=10 b=30 c= d=",
        ),
        (
            "WITH [1, 2, 3, 4, 5] AS l RETURN l[1..3] AS a, l[..2] AS b, l[3..] AS c",
            "a=[2, 3] b=[1, 2] c=[4, 5]",
        ),
        (
            "WITH [1, 2, 3] AS l RETURN l[-2..] AS a, l[2..1] AS b, l[-9..9] AS c",
            "a=[2, 3] b=[] c=[1, 2, 3]",
        ),
        (
            "WITH [1, 2, 3] AS l RETURN l[null] AS a, l[1..null] AS b, l[null..] AS c",
            "a= b= c=",
        ),
        (
            "WITH {name: 'x', n: 1} AS m RETURN m['name'] AS a, m['nope'] AS b",
            "a=x b=",
        ),
        (
            "RETURN [1][1.0] AS v",
            "error: a list index must be an integer, not a float",
        ),
        (
            "RETURN 'abc'[0] AS v",
            "error: `[...]` needs a list or a map, not a string",
        ),
    ]);
}

#[test]
fn union_puts_the_parts_together() {
    check(&[
        ("RETURN 1 AS x UNION RETURN 1 AS x", "x=1"),
        ("RETURN 1 AS x UNION ALL RETURN 1 AS x", "x=1; x=1"),
        (
            "UNWIND [1, 2, 2] AS x RETURN x UNION RETURN 3 AS x",
            "x=1; x=2; x=3",
        ),
        (
            "RETURN 1 AS x UNION RETURN 1 AS y",
            "error: every part of a UNION returns the same columns: `x`, not `y`",
        ),
        (
            "RETURN 1 AS x UNION RETURN 2 AS x UNION ALL RETURN 3 AS x",
            "error: `UNION` and `UNION ALL` cannot be mixed in one query",
        ),
    ]);
}

#[test]
fn arithmetic_literals_and_comparisons() {
    check(&[
        (
            "RETURN 2 ^ 10 AS a, 2 ^ -1 AS b, -3 ^ 2 AS c, 2 ^ 3 ^ 2 AS d",
            "a=1024.0 b=0.5 c=9.0 d=64.0",
        ),
        ("RETURN 4 ^ 3 * 2 ^ 3 AS v", "v=512.0"),
        (
            "RETURN 0x0 AS a, 0xff AS b, -0x10 AS c, 0o777 AS d",
            "a=0 b=255 c=-16 d=511",
        ),
        (
            "RETURN 1 < 2 < 3 AS a, 1 < 3 < 2 AS b, 1 = 1 <> 2 AS c",
            "a=true b=false c=true",
        ),
        (
            "RETURN [1, 0] >= [1] AS a, [1, 2] < [1, 3] AS b, [] < [0] AS c, [2] > [1, 9] AS d",
            "a=true b=true c=true d=true",
        ),
        ("RETURN [1, null] < [1, 2] AS v", "v="),
        (
            "RETURN 0.0 / 0.0 > 1 AS a, 0.0 / 0.0 < 1 AS b, 0.0 / 0.0 = 0.0 / 0.0 AS c",
            "a=false b=false c=false",
        ),
        ("RETURN -0.0 AS v", "v=0.0"),
        (
            "RETURN range(1, 3) AS a, range(3, 1, -1) AS b, range(1, 0) AS c",
            "a=[1, 2, 3] b=[3, 2, 1] c=[]",
        ),
        (
            "RETURN reverse([1, 2]) AS a, reverse('ab') AS b, tail([1]) AS c",
            "a=[2, 1] b=ba c=[]",
        ),
        (
            "MATCH (n) RETURN count(n) > 0 AS any, count(n) AS n",
            "any=false n=0",
        ),
    ]);
}

#[test]
fn invalid_queries_fail_before_they_run() {
    check(&[
        (
            "MATCH ()-[r]-() MATCH (r) RETURN r",
            "error: variable `r` is a relationship, not a node",
        ),
        (
            "MATCH (a) MATCH p = (a)-->() MATCH (p)-->() RETURN p",
            "error: variable `p` is a path, not a node",
        ),
        ("MATCH (n) RETURN m", "error: unknown variable `m`"),
        (
            "WITH 1 AS a RETURN a + count(*)",
            "error: `a` is read outside the aggregate but is not one of the grouping keys; return it as an item of its own",
        ),
        ("WITH 1 AS a RETURN a, a + count(*) AS b", "a=1 b=2"),
        (
            "RETURN 123 AND true",
            "error: a boolean operator needs a boolean, not an integer",
        ),
        (
            "WITH 1 + 1 RETURN 1",
            "error: an expression in WITH needs a name: add `AS name`",
        ),
    ]);
}

#[test]
fn reduce_folds_and_count_counts() {
    check(&[
        ("RETURN reduce(s = 0, x IN [1, 2, 3] | s + x) AS v", "v=6"),
        (
            "RETURN reduce(s = [], x IN [1, 2] | [x] + s) AS v",
            "v=[2, 1]",
        ),
        ("RETURN reduce(s = 1, x IN [] | s * x) AS v", "v=1"),
        ("RETURN reduce(s = 0, x IN null | s + x) AS v", "v="),
        (
            "RETURN reduce(s = 0, x IN [1] | s + y) AS v",
            "error: unknown variable `y`",
        ),
        ("MATCH (n) RETURN COUNT { (n)-->() } AS v", ""),
        (
            "RETURN ceil(1.1) AS a, floor(-1.1) AS b, round(0.5) AS c, sign(-2.5) AS d",
            "a=2.0 b=-2.0 c=1.0 d=-1",
        ),
        (
            "RETURN left('abc', 2) AS a, right('abc', 5) AS b, replace('aXbX', 'X', '') AS c",
            "a=ab b=abc c=ab",
        ),
        (
            "RETURN toBoolean('False') AS a, toBoolean('yes') AS b, isEmpty('') AS c, sqrt(null) AS d",
            "a=false b= c=true d=",
        ),
    ]);
}

#[test]
fn map_projections_dates_and_the_smallest_integer() {
    check(&[
        (
            "WITH {a: 1, b: 2} AS m RETURN m {.a, c: 3} AS v",
            "v={a: 1, c: 3}",
        ),
        (
            "WITH {a: 1, b: 2} AS m RETURN m {.*, b: 9} AS v",
            "v={a: 1, b: 9}",
        ),
        (
            "WITH {a: 1} AS m, 5 AS k RETURN m {.nope, k} AS v",
            "v={nope: null, k: 5}",
        ),
        ("WITH null AS m RETURN m {.a} AS v", "v="),
        (
            "WITH {a: 1} AS m RETURN m {.a, z} AS v",
            "error: unknown variable `z`",
        ),
        (
            "RETURN date({year: 1992, month: 8, day: 17}) AS a, date({year: 1992}) AS b",
            "a=1992-08-17 b=1992-01-01",
        ),
        (
            "RETURN date({year: 1992, week: 3}) AS v",
            "error: date() from a map takes year, month and day, not `week` (weeks, quarters and ordinal days are not supported)",
        ),
        (
            // The current time: a query's answer depends on the data alone.
            "RETURN datetime() AS v",
            "error: datetime() takes 1 argument, not 0",
        ),
        (
            "RETURN date.week(date('2024-05-07')) AS v",
            "error: function `date.week` is not supported (see docs/cypher.md for the list)",
        ),
        (
            "RETURN -9223372036854775808 AS a, 9223372036854775807 AS b",
            "a=-9223372036854775808 b=9223372036854775807",
        ),
        (
            "RETURN 9223372036854775807 + 1 AS v",
            "error: integer overflow",
        ),
        (
            "RETURN 1.5E999 AS v",
            "error: `1.5E999` is too large for a 64-bit float",
        ),
    ]);
}

#[test]
fn durations_move_dates_by_months_then_days() {
    check(&[
        (
            "RETURN duration('P1Y2M10D') AS a, duration({weeks: 2, days: 1}) AS b, duration('P0D') AS c",
            "a=P1Y2M10D b=P15D c=P0D",
        ),
        (
            "WITH duration('P1Y2M10D') AS d RETURN d.years AS y, d.months AS m, d.monthsOfYear AS my, d.days AS dd",
            "y=1 m=14 my=2 dd=10",
        ),
        (
            "RETURN date('2024-01-31') + duration('P1M') AS a, date('2024-03-01') - duration('P1D') AS b",
            "a=2024-02-29 b=2024-02-29",
        ),
        (
            "RETURN date('1995-08') + duration('P5M') AS a, date('1995') + duration('P2Y') AS b",
            "a=1996-01 b=1997",
        ),
        (
            "RETURN date('1995') + duration('P1M') AS v",
            "error: `1995` is a whole year: it moves by whole years only",
        ),
        (
            "RETURN duration.between(date('2024-01-31'), date('2024-03-01')) AS a, duration.between(date('2024-03-01'), date('2024-01-31')) AS b",
            "a=P1M1D b=P-1M-1D",
        ),
        (
            "RETURN duration.between(date('1992-08'), date('2025-11-06')) AS v",
            "error: duration.between needs whole dates, not `1992-08`",
        ),
        (
            "RETURN duration('P1D') + duration('P1M') AS a, duration('P1D') * 3 AS b, -duration('P1M') AS c",
            "a=P1M1D b=P3D c=P-1M",
        ),
        (
            "RETURN duration('P1D') = duration('P1D') AS a, duration('P1M') < duration('P2M') AS b",
            "a=true b=",
        ),
        (
            "RETURN date.truncate('year', date('2024-05-07')) AS a, date.truncate('month', date('2024-05-07')) AS b",
            "a=2024-01-01 b=2024-05-01",
        ),
        (
            "RETURN duration('PT2H') AS v",
            "error: `PT2H` has a time part: ties knows dates, not times",
        ),
        (
            "RETURN duration({hours: 2}) AS v",
            "error: duration(): `hours` is a time; ties knows dates, not times",
        ),
    ]);
}

#[test]
fn lists_grow_at_either_end_and_spread_is_measured() {
    check(&[
        (
            "RETURN [1] + 2 AS a, 0 + [1] AS b, [1] + [2] AS c, [1] + null AS d",
            "a=[1, 2] b=[0, 1] c=[1, 2] d=",
        ),
        (
            "RETURN *",
            "error: `*` projects every variable, and there is none here",
        ),
        (
            "UNWIND [2, 4, 4, 4, 5, 5, 7, 9] AS x RETURN stDevP(x) AS p, stDev(x) > 2.13 AS s",
            "p=2.0 s=true",
        ),
        (
            "UNWIND [3] AS x RETURN stDev(x) AS one, stDevP(x) AS pop",
            "one=0.0 pop=0.0",
        ),
    ]);
}

#[test]
fn a_bound_list_of_relationships_is_followed_as_it_is() {
    let kg = KnowledgeGraph::from_csv(
        &[("people", "id\na\nb\nc\nd\n")],
        &[(
            "r",
            "from,type,to\na,knows,b\nb,knows,c\nc,knows,d\na,knows,c\n",
        )],
        None,
    )
    .unwrap();
    let run = |query: &str| answer(&kg, query);
    // The two-step trail a→b→c, kept as a list, matches again only along those relationships,
    // in the list's order.
    assert_eq!(
        run(
            "MATCH p = ({id: 'a'})-[:knows*2]->({id: 'c'}) WITH relationships(p) AS rs \
             MATCH (x)-[rs*]->(y) RETURN x.id AS x, y.id AS y"
        ),
        "x=a y=c"
    );
    assert_eq!(
        run(
            "MATCH p = ({id: 'a'})-[:knows*2]->({id: 'c'}) WITH reverse(relationships(p)) AS rs \
             MATCH (x)<-[rs*]-(y) RETURN x.id AS x, y.id AS y"
        ),
        "x=c y=a"
    );
    // The list is walked in its order: backwards, a→b then b→c do not join up.
    assert_eq!(
        run(
            "MATCH p = ({id: 'a'})-[:knows*2]->({id: 'c'}) WITH relationships(p) AS rs \
             MATCH (x)<-[rs*]-(y) RETURN x.id AS x"
        ),
        ""
    );
    // Too long for the pattern's bounds: no match.
    assert_eq!(
        run(
            "MATCH p = ({id: 'a'})-[:knows*2]->({id: 'c'}) WITH relationships(p) AS rs \
             MATCH (x)-[rs*1]->(y) RETURN x.id AS x"
        ),
        ""
    );
    assert_eq!(
        run("MATCH (n) WITH [n] AS users MATCH (users)-->(m) RETURN m"),
        "error: variable `users` is a list, not a node"
    );
}

#[test]
fn percentiles_pick_or_interpolate_the_value_at_a_share() {
    check(&[
        (
            "UNWIND [30.0, 10.0, 20.0] AS x RETURN percentileDisc(x, 0.0) AS lo, \
             percentileDisc(x, 0.4) AS d, percentileCont(x, 0.4) AS c, percentileDisc(x, 1.0) AS hi",
            "lo=10.0 d=20.0 c=18.0 hi=30.0",
        ),
        // The value keeps its type in percentileDisc; percentileCont interpolates a float.
        (
            "UNWIND [1, 2, 3, 4] AS x RETURN percentileDisc(x, 0.5) AS d, percentileCont(x, 0.5) AS c",
            "d=2 c=2.5",
        ),
        ("UNWIND [] AS x RETURN percentileCont(x, 0.5) AS c", "c="),
        (
            "UNWIND [1, 2] AS x RETURN percentileDisc(x, 1.5) AS d",
            "error: percentileDisc() needs a percentile between 0.0 and 1.0, not 1.5",
        ),
        (
            "UNWIND [2, 1] AS x RETURN percentileCont(0.9, x) AS c",
            "error: percentileCont() needs a percentile between 0.0 and 1.0, not 2",
        ),
    ]);
}

#[test]
fn nan_sorts_after_every_number() {
    check(&[(
        "UNWIND [1.5, 0.0 / 0.0, 'text', null, false] AS v WITH v ORDER BY v DESC \
         RETURN collect(toString(v)) AS order",
        "order=[\"NaN\", \"1.5\", \"false\", \"text\"]",
    )]);
}

#[test]
fn trigonometry_and_conversions_that_give_null_instead_of_failing() {
    check(&[
        (
            "RETURN sin(0) AS s, cos(0) AS c, degrees(pi()) AS d, radians(180) = pi() AS r, \
             atan2(0, 1) AS a, haversin(0) AS h, isNaN(0.0 / 0.0) AS n",
            "s=0.0 c=1.0 d=180.0 r=true a=0.0 h=0.0 n=true",
        ),
        (
            "RETURN toIntegerOrNull('7') AS i, toIntegerOrNull([1]) AS l, toFloatOrNull('x') AS f, \
             toBooleanOrNull(2.5) AS b, toStringOrNull({a: 1}) AS s",
            "i=7 l= f= b= s=",
        ),
        (
            "RETURN toIntegerList(['1', 'x', 2.7, null]) AS i, toStringList([1, [2]]) AS s",
            "i=[1, null, 2, null] s=[\"1\", null]",
        ),
        (
            "RETURN char_length('héllo') AS n, upper('a') AS u, lower('B') AS l",
            "n=5 u=A l=b",
        ),
        (
            "RETURN toIntegerList('1') AS x",
            "error: toIntegerList() needs a list, not a string",
        ),
    ]);
}

#[test]
fn rand_is_a_fresh_float_in_the_unit_interval_at_every_call() {
    check(&[(
        "UNWIND range(1, 200) AS i WITH rand() AS r \
         RETURN min(r) >= 0.0 AND max(r) < 1.0 AS inside, count(DISTINCT r) > 150 AS fresh",
        "inside=true fresh=true",
    )]);
}

#[test]
fn range_is_empty_when_the_step_leads_away_from_the_end() {
    check(&[
        ("RETURN range(0, 1, -1000) AS l", "l=[]"),
        ("RETURN range(0, -2000, -1298) AS l", "l=[0, -1298]"),
        (
            "RETURN range(1381, -3412, -1298) AS l",
            "l=[1381, 83, -1215, -2513]",
        ),
        ("RETURN range(0, 0, -1) AS l", "l=[0]"),
        ("RETURN range(0, 1, 2) AS l", "l=[0]"),
    ]);
}

#[test]
fn an_aggregated_list_feeds_a_comprehension_quantifier_or_reduce() {
    check(&[
        (
            "UNWIND [1, 2, 3] AS x RETURN [y IN collect(x) WHERE y > 1 | y * 10] AS l, \
             reduce(s = 0, y IN collect(x) | s + y) AS total, all(y IN collect(x) WHERE y > 0) AS all",
            "l=[20, 30] total=6 all=true",
        ),
        // The grouping key is read inside the body.
        (
            "UNWIND [1, 2, 3] AS x WITH x % 2 AS k, x \
             RETURN k, [y IN collect(x) | y + k] AS l ORDER BY k",
            "k=0 l=[2]; k=1 l=[2, 4]",
        ),
        (
            "UNWIND [] AS x RETURN all(y IN collect(x) WHERE y > 0) AS a",
            "a=true",
        ),
        (
            "UNWIND [1, 2] AS x RETURN [y IN [1] | count(*)] AS bad",
            "error: an aggregate inside the body of a comprehension, quantifier, reduce or \
             EXISTS is not supported; aggregate in WITH first",
        ),
    ]);
}

#[test]
fn hexadecimal_and_octal_reach_both_ends_of_the_integers() {
    check(&[
        (
            "RETURN -0x8000000000000000 AS a, 0x7FFFFFFFFFFFFFFF AS b, -01000000000000000000000 AS c, \
             0777777777777777777777 AS d, 02613152366 AS e, -00 AS f",
            "a=-9223372036854775808 b=9223372036854775807 c=-9223372036854775808 \
             d=9223372036854775807 e=372036854 f=0",
        ),
        (
            "RETURN 0x8000000000000000 AS a",
            "error: `9223372036854775808` does not fit a 64-bit integer",
        ),
    ]);
}

#[test]
fn errors_carry_the_names_opencypher_gives_them() {
    let kg = empty();
    let adjacency = kg.adjacency();
    let cases = [
        ("MATCH ()-[r]-() MATCH (r) RETURN r", "VariableTypeConflict"),
        ("MATCH (a) UNWIND [1] AS a RETURN a", "VariableAlreadyBound"),
        ("RETURN x", "UndefinedVariable"),
        (
            "MATCH (a) WHERE count(a) > 1 RETURN a",
            "InvalidAggregation",
        ),
        (
            "MATCH (me) RETURN me.age + count(me.age)",
            "AmbiguousAggregationExpression",
        ),
        ("RETURN count(count(*))", "NestedAggregation"),
        ("WITH 1 + 1 RETURN 1", "NoExpressionAlias"),
        ("RETURN *", "NoVariablesInScope"),
        ("RETURN 123 AND true", "InvalidArgumentType"),
        ("RETURN 1 AS a, 2 AS a", "ColumnNameConflict"),
        (
            "RETURN 1 AS a UNION RETURN 2 AS b",
            "DifferentColumnsInUnion",
        ),
        (
            "RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a",
            "InvalidClauseComposition",
        ),
        ("RETURN nosuch(1)", "UnknownFunction"),
        ("RETURN size(1, 2)", "InvalidNumberOfArguments"),
        ("RETURN 9223372036854775807 + 1", "IntegerOverflow"),
        ("RETURN 1.34E999", "FloatingPointOverflow"),
        (
            "UNWIND [1] AS x RETURN x LIMIT -1",
            "NegativeIntegerArgument",
        ),
        ("RETURN [1, 2]['a']", "ListElementAccessByNonInteger"),
        ("RETURN {a: 1}[1]", "MapElementAccessByNonString"),
        ("RETURN range(1, 2, 0)", "NumberOutOfRange"),
        ("RETURN toInteger([1])", "InvalidArgumentType"),
        ("RETURN $missing", "ParameterMissing"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(query, code)| {
            let got = cypher::run(&kg, adjacency, query, BTreeMap::new(), Limits::default())
                .err()
                .and_then(|err| err.code);
            (got != Some(*code)).then(|| format!("{query}: want {code}, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn exists_and_count_run_a_whole_query_per_row() {
    let kg = KnowledgeGraph::from_csv(
        &[("things", "id\na\nb\nc\nd\n")],
        &[("r", "from,type,to\na,R,b\na,R,c\na,R,d\nb,R,d\n")],
        None,
    )
    .unwrap();
    check_on(
        &kg,
        &[
            (
                "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WITH n, count(*) AS c WHERE c = 3 RETURN true } \
             RETURN n.id AS n",
                "n=a",
            ),
            (
                "MATCH (n) RETURN n.id AS n, COUNT { MATCH (n)-->(m), (m)-->(x) RETURN x } AS c \
             ORDER BY n",
                "n=a c=1; n=b c=0; n=c c=0; n=d c=0",
            ),
            // Without RETURN, and with a variable the row does not have.
            (
                "MATCH (n) WHERE EXISTS { UNWIND [1, 2] AS k MATCH (n)-->(m) WHERE k = 2 } \
             RETURN collect(n.id) AS ns",
                "ns=[\"a\", \"b\"]",
            ),
            (
                "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) RETURN q } RETURN n",
                "error: unknown variable `q`",
            ),
        ],
    );
}

#[test]
fn order_by_may_repeat_a_returned_expression_after_distinct_or_aggregation() {
    check(&[
        (
            "UNWIND [{k: 2}, {k: 1}, {k: 2}] AS m RETURN DISTINCT m.k AS k ORDER BY m.k",
            "k=1; k=2",
        ),
        (
            "UNWIND [{k: 2}, {k: 1}, {k: 2}] AS m RETURN m.k, count(*) AS c ORDER BY m.k DESC",
            "m.k=2 c=2; m.k=1 c=1",
        ),
        (
            "UNWIND [{k: 2}, {k: 1}] AS m WITH DISTINCT m.k AS k ORDER BY m.k + 1 RETURN k",
            "error: unknown variable `m`",
        ),
    ]);
}

#[test]
fn round_to_a_precision_works_on_the_decimal_form() {
    check(&[
        (
            "RETURN round(2.5) AS a, round(-2.5) AS b, round(1.005, 2) AS c, round(-2.5, 0) AS d",
            "a=3.0 b=-2.0 c=1.01 d=-3.0",
        ),
        (
            "RETURN round(2.5, 0, 'HALF_EVEN') AS e, round(3.5, 0, 'half_even') AS f, \
             round(1.2345, 3, 'DOWN') AS g, round(-1.2341, 3, 'FLOOR') AS h, \
             round(1234.5, -2) AS i, round(0.0004, 2, 'UP') AS j, round(-0.0004, 2, 'CEILING') AS k",
            "e=2.0 f=4.0 g=1.234 h=-1.235 i=1200.0 j=0.01 k=0.0",
        ),
        (
            "RETURN round(1.5, 0, 'SIDEWAYS') AS x",
            "error: round() needs a rounding mode such as 'HALF_EVEN', not a string",
        ),
    ]);
}

#[test]
fn times_and_date_times_are_built_written_and_sorted() {
    check(&[
        (
            "RETURN localtime({hour: 10, minute: 35}) AS a, \
             localtime({hour: 12, minute: 31, second: 14, nanosecond: 645876123}) AS b, \
             time({hour: 10, minute: 35, timezone: '-08:00'}) AS c, time('21:40') AS d, \
             datetime('2015-07-21T21:40:32.142+0100') AS e, \
             localdatetime({year: 1984, month: 10, day: 11, hour: 12}) AS f",
            "a=10:35 b=12:31:14.645876123 c=10:35-08:00 d=21:40Z \
             e=2015-07-21T21:40:32.142+01:00 f=1984-10-11T12:00",
        ),
        // Zoned times sort by their instant: 12:35+05:00 is 07:35 UTC.
        (
            "UNWIND [time('12:31:14+01:00'), time('12:35:15+05:00'), time('12:30:14+01:01')] AS t \
             WITH t ORDER BY t RETURN collect(toString(t)) AS order",
            "order=[\"12:35:15+05:00\", \"12:30:14+01:01\", \"12:31:14+01:00\"]",
        ),
        (
            "RETURN datetime('2015-07-21T21:40:32+01:00').hour AS h, \
             time('10:00+01:00').timezone AS z, localtime('10:00') < localtime('10:01') AS lt, \
             localtime('10:00') < time('10:01') AS mixed",
            "h=21 z=+01:00 lt=true mixed=",
        ),
        (
            "RETURN localtime('25:00') AS t",
            "error: localtime(): hour 25 is out of range (0 to 23)",
        ),
        (
            "RETURN time('10:00[Europe/Berlin]') AS t",
            "error: time(): `10:00[Europe/Berlin]` names a time zone; only UTC offsets such as '+01:00' are supported",
        ),
    ]);
}

#[test]
fn durations_sum_to_a_duration() {
    check(&[(
        "UNWIND [duration('P1M'), duration('P2D'), duration('P1Y')] AS d RETURN sum(d) AS total",
        "total=P1Y1M2D",
    )]);
}

#[test]
fn star_projects_the_variables_in_alphabetical_order() {
    check(&[(
        "WITH [1] AS xs, [3] AS ys UNWIND xs AS x UNWIND ys AS y RETURN *",
        "x=1 xs=[1] y=3 ys=[3]",
    )]);
}

#[test]
fn a_property_of_a_path_list_or_number_is_an_error() {
    check(&[
        (
            "MATCH (n) MATCH r = (n)-[*]->() WHERE r.name = 'apa' RETURN r",
            "error: `r.name`: `r` is a path, which has no properties",
        ),
        (
            "WITH 1 AS l RETURN l.name AS x",
            "error: `.name` needs a node, relationship, map or temporal value, not an integer",
        ),
        (
            "WITH null AS l, {name: 'm'} AS m RETURN l.name AS a, m.name AS b",
            "a= b=m",
        ),
    ]);
}

#[test]
fn infinities_are_written_as_cypher_names_them() {
    check(&[(
        "RETURN log(0) AS low, 1.0 / 0 AS high, toString(-1.0 / 0) AS text",
        "low=-Infinity high=Infinity text=-Infinity",
    )]);
}

#[test]
fn order_by_combines_returned_aggregates_aliases_and_property_reads() {
    check(&[
        (
            "UNWIND [1, 2, 2, 3] AS x RETURN x, count(*) AS c ORDER BY x * 10 - count(*) DESC",
            "x=3 c=1; x=2 c=2; x=1 c=1",
        ),
        (
            "UNWIND [{k: 1}, {k: 2}, {k: 2}] AS m RETURN m.k AS k, count(*) AS c \
             ORDER BY m.k + count(*) DESC, k",
            "k=2 c=2; k=1 c=1",
        ),
        (
            "UNWIND [1, 2] AS x RETURN count(*) AS c ORDER BY x + count(*)",
            "error: unknown variable `x`",
        ),
        (
            "UNWIND [{a: 1, b: 2}] AS m RETURN m.a + m.b, count(*) AS c ORDER BY m.a + m.b + count(*)",
            "error: `(m.a + m.b)` is returned, but only variables, property reads and aggregates \
             can be reused next to an aggregate in ORDER BY; sort by `m.a + m.b` instead",
        ),
    ]);
}

#[test]
fn a_longer_grouping_expression_is_not_reused_next_to_an_aggregate() {
    check(&[
        (
            "UNWIND [{a: 1, b: 2}] AS m RETURN m.a + m.b, m.a + m.b + count(*) AS c",
            "error: `(m.a + m.b)` is a grouping key, but only variables and property reads can be \
             reused next to an aggregate; name it in a WITH first",
        ),
        (
            "UNWIND [{a: 1, b: 2}] AS m RETURN m.a, m.a + count(*) AS c",
            "m.a=1 c=2",
        ),
    ]);
}

#[test]
fn a_with_where_sees_the_variables_before_it_unless_it_aggregates() {
    // a knows b and c, b knows c: the friends of a friend of a that a does not know.
    let kg = KnowledgeGraph::from_csv(
        &[("people", "id,name\na,A\nb,B\nc,C\nd,D\n")],
        &[(
            "knows",
            "from,type,to\na,knows,b\na,knows,c\nb,knows,c\nb,knows,d\n",
        )],
        None,
    )
    .unwrap();
    check_on(
        &kg,
        &[
            (
                "MATCH (a {id: 'a'})-->(b)-->(c) OPTIONAL MATCH (a)-[r]->(c) \
                 WITH c WHERE r IS NULL RETURN c.id AS id",
                "id=d",
            ),
            (
                "MATCH (a {id: 'a'})-->(b)-->(c) OPTIONAL MATCH (a)-[r]->(c) \
                 WITH c, count(*) AS n WHERE r IS NULL RETURN c.id AS id",
                "error: unknown variable `r`",
            ),
            (
                "MATCH (a {id: 'a'})-->(b)-->(c) OPTIONAL MATCH (a)-[r]->(c) \
                 WITH DISTINCT c WHERE r IS NULL RETURN c.id AS id",
                "error: unknown variable `r`",
            ),
            // A projected name hides the one before it.
            (
                "MATCH (a {id: 'a'})-->(b) WITH b.id AS a WHERE a = 'c' RETURN a",
                "a=c",
            ),
        ],
    );
}
