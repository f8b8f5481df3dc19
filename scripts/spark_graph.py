"""Degree, connected components and hop counts of a `ties` graph, in Spark.

    spark-submit scripts/spark_graph.py PARQUET_DIR SOURCE_ID OUT_DIR
    python scripts/spark_graph.py PARQUET_DIR SOURCE_ID OUT_DIR      # local mode, pyspark from PyPI

PARQUET_DIR is what `ties export --format parquet` (or `ties build`, as out/parquet) writes:
nodes.parquet (`id`, ...) and edges.parquet (`src`, `dst`, ...). The job uses DataFrames
only, no GraphFrames or other package, so it runs unchanged on a cluster (give HDFS or S3
paths there). It writes three Parquet tables into OUT_DIR, with the definitions `ties stats`
uses (relations without direction, parallel relations once, a relation from an entity to
itself no link):

- degree/     id, degree      distinct neighbours
- component/  id, component   connected components by label propagation: every entity
                              takes the smallest id among itself and its neighbours until
                              nothing changes; the label is the smallest id in the component
- hops/       id, hops        relations on a shortest path from SOURCE_ID (breadth first);
                              entities it cannot reach are left out
"""

import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def links_of(edges):
    """Both directions of every relation between two different entities, once."""
    pairs = edges.where(F.col("src") != F.col("dst")).select("src", "dst")
    return (
        pairs.select(F.col("src").alias("a"), F.col("dst").alias("b"))
        .union(pairs.select(F.col("dst").alias("a"), F.col("src").alias("b")))
        .distinct()
    )


def components(ids, links):
    """Label propagation: each entity takes the smallest label among its neighbours'."""
    labels = ids.select("id", F.col("id").alias("label")).localCheckpoint()
    while True:
        smallest = (
            links.join(labels, links.b == labels.id)
            .groupBy("a")
            .agg(F.min("label").alias("neighbour"))
        )
        updated = (
            labels.join(smallest, labels.id == smallest.a, "left")
            .select("id", F.least("label", F.coalesce("neighbour", "label")).alias("label"))
            .localCheckpoint()
        )
        changed = (
            updated.alias("new")
            .join(labels.alias("old"), "id")
            .where(F.col("new.label") != F.col("old.label"))
            .count()
        )
        labels = updated
        if changed == 0:
            return labels.withColumnRenamed("label", "component")


def hops_from(source, ids, links):
    """Breadth-first distances from `source`."""
    reached = ids.where(F.col("id") == source).select("id", F.lit(0).alias("hops")).localCheckpoint()
    frontier = reached
    step = 0
    while frontier.count() > 0:
        step += 1
        frontier = (
            links.join(frontier, links.a == frontier.id)
            .select(F.col("b").alias("id"))
            .distinct()
            .join(reached, "id", "left_anti")
            .select("id", F.lit(step).alias("hops"))
            .localCheckpoint()
        )
        reached = reached.union(frontier).localCheckpoint()
    return reached


def main():
    parquet, source, out = sys.argv[1], sys.argv[2], sys.argv[3]
    spark = SparkSession.builder.appName("ties-graph").getOrCreate()
    ids = spark.read.parquet(f"{parquet}/nodes.parquet").select("id")
    links = links_of(spark.read.parquet(f"{parquet}/edges.parquet")).localCheckpoint()
    degree = (
        ids.join(links.groupBy("a").count().withColumnRenamed("a", "id"), "id", "left")
        .select("id", F.coalesce("count", F.lit(0)).alias("degree"))
    )
    degree.write.mode("overwrite").parquet(f"{out}/degree")
    components(ids, links).write.mode("overwrite").parquet(f"{out}/component")
    hops_from(source, ids, links).write.mode("overwrite").parquet(f"{out}/hops")
    spark.stop()


if __name__ == "__main__":
    main()
