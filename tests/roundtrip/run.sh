#!/usr/bin/env bash
# Round trip with real readers: `ties build` on the tiny fixture and on the seed data, then
# NetworkX, igraph and FalkorDB read the outputs back (tests/roundtrip/check.py).
# Usage: tests/roundtrip/run.sh PYTHON TIES_BINARY [OTHER_PYTHON]
# (PYTHON has Neo4j's driver 6.x; OTHER_PYTHON has the followthemoney package and the driver's
# 5.28 line; default PYTHON.)
set -euo pipefail
python=$1
ties=$2
ftm_python=${3:-$1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for case in tiny seed; do
  data=data
  [ "$case" = tiny ] && data=tests/data/tiny
  "$ties" --data "$data" -q build -o "$work/$case" >/dev/null
  "$ties" --data "$data" -q stats --format json >"$work/$case.stats.json"
  echo "roundtrip: $case ($data)"
  "$python" tests/roundtrip/check.py "$work/$case" "$work/$case.stats.json" "tests/roundtrip/$case.probe.json"
done

# Differential: the query corpus (on the tiny fixture) and the saved queries (on the seed data)
# must give FalkorDB's answers.
"$python" tests/roundtrip/differential.py "$ties" tests/data/tiny tests/queries
"$python" tests/roundtrip/differential.py "$ties" data queries
# ... and queries written for data we did not write by hand: realistic names, generated.
"$python" benches/realistic.py --entities 2000 --relations 8000 --seed 7 --out "$work/realistic" >/dev/null
"$python" tests/roundtrip/differential.py "$ties" "$work/realistic/data" tests/queries-realistic

# The openCypher script is written to load fast, and loads whole: data of OpenFlights' size
# (14,000 entities, 90,000 relations, realistic names) into FalkorDB, in both dialects. What is
# checked is the script's shape (index first, rows batched, ends found by index, FalkorDB's rows
# as a parameter), which is what once made it take half an hour; the times beside a
# parameterised UNWIND load are printed, not judged (speed lives in benchmarks).
"$python" benches/realistic.py --entities 14000 --relations 90000 --out "$work/flights-size" >/dev/null
mkdir -p "$work/cypher-load"
"$ties" --data "$work/flights-size/data" -q export -o "$work/cypher-load/graph.json"
"$ties" --data "$work/flights-size/data" -q export -o "$work/cypher-load/graph.cypher"
"$python" tests/roundtrip/cypher_load.py "$work/cypher-load"
"$ties" --data "$work/flights-size/data" -q export --dialect falkordb -o "$work/cypher-load/graph.cypher"
"$python" tests/roundtrip/cypher_load.py "$work/cypher-load" --dialect falkordb

# FollowTheMoney: a real FtM file (tests/data/ftm/donations.ijson) and one using every edge
# schema of the model, flat and nested as OpenSanctions nests it, go through `ties import ftm`,
# `ties check --strict` and `ties export --format ftm`; the followthemoney package validates
# the export and finds every entity, edge end, date and value of the original in it. The seed's
# export must be valid FtM too.
mkdir -p "$work/ftm"
"$ftm_python" tests/roundtrip/ftm_make.py "$work/ftm" 3
for case in tests/data/ftm/donations.ijson "$work/ftm/flat.ijson" "$work/ftm/nested.ijson"; do
  name=$(basename "$case" .ijson)
  original=$case
  [ "$name" = nested ] && original="$work/ftm/flat.ijson"
  echo "roundtrip: ftm $name"
  "$ties" -q import ftm "$case" -o "$work/ftm/$name" >/dev/null
  "$ties" --data "$work/ftm/$name" -q check --strict >/dev/null
  "$ties" --data "$work/ftm/$name" -q export -o "$work/ftm/$name.ftm.json"
  "$ftm_python" tests/roundtrip/ftm_check.py "$work/ftm/$name.ftm.json" "$original"
done
"$ties" --data data -q export -o "$work/ftm/seed.ftm.json"
"$ftm_python" tests/roundtrip/ftm_check.py "$work/ftm/seed.ftm.json"

# Spark, for real: scripts/spark_graph.py (the README's scale-out job) in local mode over the
# Parquet of the seed and of a graph of OpenFlights' size, against ties stats and ties path.
mkdir -p "$work/spark-seed" "$work/spark-flights"
"$python" tests/roundtrip/spark_check.py "$ties" data kazakhstan "$work/spark-seed"
"$python" tests/roundtrip/spark_check.py "$ties" "$work/flights-size/data" auto "$work/spark-flights"

# Network metrics: every entity's values against NetworkX, communities against igraph.
"$python" tests/roundtrip/metrics.py "$ties" data tests/data/tiny

# `ties serve` through Neo4j's Python driver, the current line and the 5.28 LTS: the query
# corpus and the saved queries answer as `ties query` does; sessions, transactions, routing,
# procedures, refused writes and passwords behave.
for driver_python in "$python" "$ftm_python"; do
  "$driver_python" tests/roundtrip/bolt_check.py "$ties" tests/data/tiny tests/queries 20
  "$driver_python" tests/roundtrip/bolt_check.py "$ties" data queries 5
done
# neo4rs, the Rust driver, which speaks Bolt 4.1 (a crate of its own, so `cargo test` never
# builds tokio).
cargo run -q --release --manifest-path tests/drivers/neo4rs/Cargo.toml -- "$ties" data
# LangChain's Neo4jGraph reads the schema it gives a language model, and queries.
"$python" tests/roundtrip/langchain_check.py "$ties" data

# Scenarios in the openCypher TCK's format: setups run on FalkorDB and become CSV, answers are
# read in the TCK's notation. Ours must all pass; the ones with wrong expectations must all fail.
"$python" tests/tck/run.py "$ties" tests/tck/features --require-all
"$python" tests/tck/run.py "$ties" tests/tck/must-fail --expect-fail
