// Since when have Kazakhstan and Israel had diplomatic relations (long before the 2025 announcement)?
MATCH (k:countries {id: 'kazakhstan'})-[r:diplomatic_relations]-(i:countries {id: 'israel'})
RETURN k.name AS country, i.name AS partner, r.start AS since, r.note AS note, r.source AS source
