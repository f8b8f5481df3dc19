"""Checks an FtM stream `ties export --format ftm` wrote, with the followthemoney package.

    python ftm_check.py EXPORTED [ORIGINAL]

Valid: every line is an entity of a schema FtM has and lets entities have, with an id FtM
accepts, only properties of that schema, values that FtM's own cleaning keeps as they are,
and references to entities of the stream. With ORIGINAL (the FtM file that `ties import ftm`
read), the round trip: the same entities (fragments merged by id, as `ftm aggregate` does),
each with the same schema and the same values of every property, so the counts by schema, the
ends of every edge and every date agree. Exits 1 naming each difference.
"""

import json
import sys
from collections import Counter

from followthemoney import model
from followthemoney.types import registry


def read(path):
    """The entities of a stream, fragments merged, and the problems of reading it."""
    entities, problems = {}, []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            schema = model.get(data.get("schema"))
            where = f"{path}:{number}"
            if schema is None:
                problems.append(f"{where}: unknown schema {data.get('schema')!r}")
                continue
            if schema.abstract:
                problems.append(f"{where}: abstract schema {schema.name}")
            entity_id = data.get("id")
            if not isinstance(entity_id, str) or not registry.entity.validate(entity_id):
                problems.append(f"{where}: id {entity_id!r} is not a valid FtM id")
                continue
            for name, values in data.get("properties", {}).items():
                prop = schema.get(name)
                if prop is None or prop.stub:
                    problems.append(f"{where}: {schema.name} has no property {name!r}")
                    continue
                for value in values:
                    cleaned = prop.type.clean(value, proxy=None)
                    if cleaned is None:
                        problems.append(f"{where}: {name} {value!r} is not a valid {prop.type.name}")
            proxy = model.get_proxy(data, cleaned=False)
            if entity_id in entities:
                entities[entity_id].merge(proxy)
            else:
                entities[entity_id] = proxy
    return entities, problems


def summary(entities):
    return dict(sorted(Counter(entity.schema.name for entity in entities.values()).items()))


def main():
    exported, problems = read(sys.argv[1])
    for entity in exported.values():
        for prop, value in entity.itervalues():
            if prop.type == registry.entity and value not in exported:
                problems.append(f"{entity.schema.name} {entity.id}: {prop.name} -> {value}, not in the stream")
    print(f"ftm: {len(exported)} entities {summary(exported)}")
    if len(sys.argv) > 2:
        original, original_problems = read(sys.argv[2])
        problems.extend(f"(original) {problem}" for problem in original_problems)
        if summary(original) != summary(exported):
            problems.append(f"schemata differ: {summary(original)} became {summary(exported)}")
        for entity_id, before in original.items():
            after = exported.get(entity_id)
            if after is None:
                problems.append(f"{before.schema.name} {entity_id} is missing")
                continue
            if after.schema != before.schema:
                problems.append(f"{entity_id}: {before.schema.name} became {after.schema.name}")
            for prop in set(before.iterprops()) | set(after.iterprops()):
                old, new = sorted(before.get(prop)), sorted(after.get(prop))
                if old != new:
                    problems.append(f"{entity_id} {prop.name}: {old} became {new}")
        extra = set(exported) - set(original)
        if extra:
            problems.append(f"{len(extra)} entities not in the original, e.g. {sorted(extra)[:3]}")
        edges = sum(1 for entity in original.values() if entity.schema.edge)
        print(f"ftm: round trip of {len(original)} entities ({edges} edges) keeps every one")
    for problem in problems[:30]:
        print(problem)
    if problems:
        print(f"ftm: {len(problems)} problems")
        sys.exit(1)


if __name__ == "__main__":
    main()
