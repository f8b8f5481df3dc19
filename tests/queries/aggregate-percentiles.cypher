// Percentiles of the relations' weights: the nearest value at or above the share, and the
// interpolated one.
MATCH ()-[r]->()
WHERE r.weight IS NOT NULL
RETURN percentileDisc(r.weight, 0.5) AS median, percentileCont(r.weight, 0.25) AS lower_quartile, count(*) AS n
