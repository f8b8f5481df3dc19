// Which figures does the article give, and which body published each?
MATCH (f:figures)
OPTIONAL MATCH (body)-[:published]->(f)
RETURN f.name AS figure, f.value AS value, f.unit AS unit, f.approximate AS approximate, f.at_least AS at_least, body.name AS published_by
ORDER BY figure
