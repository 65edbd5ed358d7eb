// Years marked for a recount (left behind by a load that did not finish).
// $kind: 'paper' | 'patent'
MATCH (d:Dirty {kind: $kind})
RETURN DISTINCT d.year AS year
