// Map projections: chosen properties, every property, and computed entries.
MATCH (c:countries) WHERE c.founded IS NOT NULL
RETURN c {.id, .name, has_founding: c.founded IS NOT NULL} AS country
ORDER BY c.id
