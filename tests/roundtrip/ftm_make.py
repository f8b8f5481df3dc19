"""Writes FtM streams that use every edge schema of the installed followthemoney model.

    python ftm_make.py OUT_DIR [COUNT]

OUT_DIR/flat.ijson: for each edge schema (Ownership, Directorship, Payment, Family, ...),
COUNT edges between entities of schemata that fit its ends, with start and end dates, a
`date`, several names, countries, amounts and text; some entities split into fragments of
a broader schema (LegalEntity, then Person) on separate lines; and a few references that
are not edges (addressEntity). OUT_DIR/nested.ijson: the same entities as OpenSanctions'
`targets.nested.json` writes them, adjacent entities nested inside the properties of the
entity they belong to, under the reverse property. `ftm_check.py` compares what `ties` makes
of either with flat.ijson.

The schemata and their properties come from the model, not from a list here, so the file
follows the model `ties` embeds.
"""

import json
import os
import random
import sys

from followthemoney import model

rng = random.Random(7)
FIRST = ["Anna", "Олег", "Nurlan", "José", "Ødegård", "Mária", "Yitzhak", "Aigerim", "Li", "Zoë"]
LAST = ["Nowak", "Петренко", "Nazarbayev", "García", "Haugen", "Kovács", "Cohen", "Ospanova", "Wei", "Dupont"]


def concrete(range_name):
    """A schema entities may have that fits `range_name`."""
    schema = model.get(range_name)
    if not schema.abstract and not schema.edge:
        return schema
    for candidate in sorted(model.schemata.values(), key=lambda s: s.name):
        if candidate.is_a(schema) and not candidate.abstract and not candidate.edge:
            return candidate
    raise SystemExit(f"no concrete schema for {range_name}")


def day():
    return f"{rng.randint(1992, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class Stream:
    def __init__(self):
        self.entities = {}
        self.count = 0

    def make(self, schema, **properties):
        self.count += 1
        entity = model.make_entity(schema)
        entity.id = f"{schema.name.lower()}-{self.count}"
        for name, values in properties.items():
            entity.add(name, values)
        self.entities[entity.id] = entity
        return entity

    def node(self, schema):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        props = {}
        if "name" in schema.properties:
            props["name"] = [name, name.upper()] if rng.random() < 0.3 else [name]
        if "country" in schema.properties:
            props["country"] = rng.choice(["kz", "il", "de", "pl", "ru"])
        if "notes" in schema.properties and rng.random() < 0.3:
            props["notes"] = "Listed; see annex 3, page 12"
        entity = self.make(schema, **props)
        if "full" in schema.properties:
            entity.add("full", f"ul. Długa {self.count}, Kraków")
        return entity


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    os.makedirs(out, exist_ok=True)
    stream = Stream()
    adjacent = {}
    for schema in sorted(model.schemata.values(), key=lambda s: s.name):
        if schema.abstract or not schema.edge:
            continue
        source_prop = schema.get(schema.edge_source)
        target_prop = schema.get(schema.edge_target)
        for _ in range(count):
            source = stream.node(concrete(source_prop.range.name))
            target = stream.node(concrete(target_prop.range.name))
            start = day()
            props = {schema.edge_source: source.id, schema.edge_target: target.id}
            if "startDate" in schema.properties:
                props["startDate"] = start
                if rng.random() < 0.5:
                    props["endDate"] = f"{int(start[:4]) + rng.randint(0, 5)}"
            if "date" in schema.properties and rng.random() < 0.5:
                props["date"] = start[:7]
            if "amount" in schema.properties:
                props["amount"] = str(rng.randint(1, 10**7))
            if "role" in schema.properties:
                props["role"] = rng.choice(["director", "член совета", "shareholder"])
            if "summary" in schema.properties and rng.random() < 0.3:
                props["summary"] = 'Quoted, with "marks" and a, comma'
            edge = stream.make(schema, **props)
            adjacent.setdefault(source.id, []).append((schema.edge_source, edge))
    # References that are not edges: an address for some legal entities.
    for entity in list(stream.entities.values()):
        if entity.schema.is_a("LegalEntity") and rng.random() < 0.3:
            address = stream.node(model.get("Address"))
            entity.add("addressEntity", address.id)
            adjacent.setdefault(entity.id, []).append(("addressEntity", address))

    with open(os.path.join(out, "flat.ijson"), "w", encoding="utf-8") as flat:
        for entity in stream.entities.values():
            data = entity.to_dict()
            if entity.schema.name == "Person" and rng.random() < 0.5:
                # Two fragments: the broader schema with the names, then the rest.
                names = {"name": data["properties"].pop("name", [])}
                flat.write(json.dumps({"id": entity.id, "schema": "LegalEntity", "properties": names}) + "\n")
            flat.write(json.dumps(data, ensure_ascii=False) + "\n")

    # Nested: each edge under the reverse property of its source, each address under
    # addressEntity; entities nested somewhere are not written again at the top.
    nested_ids = set()
    lines = []
    for entity_id, links in adjacent.items():
        parent = stream.entities[entity_id]
        data = parent.to_dict()
        for prop_name, child in links:
            child_data = child.to_dict()
            if prop_name == "addressEntity":
                data["properties"]["addressEntity"] = [child_data]
            else:
                reverse = child.schema.get(prop_name).reverse.name
                # The nested edge leaves out the way back to its parent, as nested exports do.
                child_data["properties"].pop(prop_name, None)
                data["properties"].setdefault(reverse, []).append(child_data)
            nested_ids.add(child.id)
        lines.append(data)
    with open(os.path.join(out, "nested.ijson"), "w", encoding="utf-8") as nested:
        for data in lines:
            nested.write(json.dumps(data, ensure_ascii=False) + "\n")
        for entity in stream.entities.values():
            if entity.id not in nested_ids and entity.id not in adjacent:
                nested.write(json.dumps(entity.to_dict(), ensure_ascii=False) + "\n")
    edges = sum(1 for e in stream.entities.values() if e.schema.edge)
    print(f"ftm_make: {len(stream.entities)} entities, {edges} edges of every edge schema")


if __name__ == "__main__":
    main()
