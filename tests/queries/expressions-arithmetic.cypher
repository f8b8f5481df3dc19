// `^` (always a float, binding tighter than `*`), hexadecimal literals, and chained
// comparisons (`1 < x <= 2` is `1 < x AND x <= 2`). Octal (`0o17`) and `^` chains are tested
// in the parser's unit tests: FalkorDB reads neither as openCypher does.
UNWIND [1, 2, 3] AS x
RETURN x,
       x ^ 2 AS squared,
       x ^ 3 * 2 AS before_times,
       0x10 + x AS hex,
       1 < x <= 2 AS between
ORDER BY x
