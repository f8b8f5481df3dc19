"""`ties query --format json` answers in a form to compare with another engine's: nodes by
their `id`, relationships by `rid`, paths by their relationship ids, numbers as floats, maps
as sorted pairs. Shared by differential.py (FalkorDB) and bolt_check.py (Neo4j's driver)."""


def normalise_ties(value, text=lambda s: s):
    """`text` maps a string another engine reads as something else (a duration, say)."""
    if isinstance(value, dict):
        if set(value) == {"id", "name", "kind"}:
            return ("node", value["id"])
        if "edges" in value and "nodes" in value and "length" in value:
            return ("path", tuple(e["id"] for e in value["edges"]))
        if {"id", "from", "to", "type", "attributes"} <= set(value):
            return ("rel", value["id"])
        return tuple(sorted((k, normalise_ties(v, text)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(normalise_ties(v, text) for v in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return text(value)
    return value
