#!/bin/sh
# Written by ties: imports these CSV files into the database `neo4j` of a stopped Neo4j 5.x or
# 2025.x, replacing what it holds. Set NEO4J_HOME to the Neo4j folder (default /var/lib/neo4j).
# Neo4j 4.x: bin/neo4j-admin import --database=neo4j --nodes=... --relationships=...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
NEO4J_HOME=${NEO4J_HOME:-/var/lib/neo4j}
"$NEO4J_HOME/bin/neo4j-admin" database import full neo4j \
  --overwrite-destination \
  --nodes="$here/nodes_countries.csv" \
  --nodes="$here/nodes_people.csv" \
  --relationships="$here/relationships_visited.csv" \
  --relationships="$here/relationships_diplomatic_relations.csv" \
  --relationships="$here/relationships_knows.csv" \
  --relationships="$here/relationships_mentions.csv" \
  --multiline-fields=true \
  --array-delimiter=";"
