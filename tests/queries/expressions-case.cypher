// CASE in both forms: a value compared with each WHEN, and conditions tried in order.
MATCH (p:people)
RETURN p.id AS id,
       CASE p.active WHEN true THEN 'active' WHEN false THEN 'retired' ELSE 'unknown' END AS status,
       CASE WHEN p.born < 1900 THEN 'old' WHEN p.born >= 1900 THEN 'new' END AS era
ORDER BY id
