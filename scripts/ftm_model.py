#!/usr/bin/env python3
"""Writes src/model/ftm_model.json: the FollowTheMoney schemata that `ties import ftm` and
`ties export --format ftm` read, taken from the followthemoney package (MIT licence, in
src/model/LICENSE.followthemoney), version pinned below.

    python3 -m pip install followthemoney==4.11.2
    python3 scripts/ftm_model.py

For each schema: its parents, whether it is abstract, the properties that give its caption,
its edge (source and target properties, directed or not) when it is one, and every property
it has with its type and, for entity references, the schema they point to. Reverse (stub)
properties are marked `stub` with the property they mirror: plain entities never carry them,
but OpenSanctions' nested exports put adjacent entities under them.
"""
import json
import os

import followthemoney
from followthemoney import model

PINNED = "4.11.2"


def main():
    if followthemoney.__version__ != PINNED:
        raise SystemExit(f"followthemoney {followthemoney.__version__} installed, {PINNED} pinned")
    schemata = {}
    for schema in sorted(model.schemata.values(), key=lambda s: s.name):
        properties = {}
        for prop in sorted(schema.properties.values(), key=lambda p: p.name):
            entry = {"type": prop.type.name}
            if prop.range is not None:
                entry["range"] = prop.range.name
            if prop.stub:
                entry["stub"] = True
                entry["reverse"] = prop.reverse.name
            properties[prop.name] = entry
        schemata[schema.name] = {
            "extends": sorted(parent.name for parent in schema.extends),
            "abstract": schema.abstract,
            "caption": list(schema.caption),
            "edge": (
                {"source": schema.edge_source, "target": schema.edge_target, "directed": schema.edge_directed}
                if schema.edge
                else None
            ),
            "properties": properties,
        }
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src", "model", "ftm_model.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"version": PINNED, "schemata": schemata}, f, indent=0, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {out}: {len(schemata)} schemata")


if __name__ == "__main__":
    main()
