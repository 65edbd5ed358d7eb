// Drop the institution-view aggregates of the years a load touched; they are recounted right after
// (loader/aggregates.py recount_params, applied by count_new with $recount).
// $kind: 'paper' | 'patent'
// $years: [year]
MATCH (y:UnitYear)
WHERE y.kind = $kind AND y.year IN $years
DETACH DELETE y
WITH count(*) AS tallies
MATCH (py:PairYear)
WHERE py.pair STARTS WITH ($kind + '|') AND py.year IN $years
DETACH DELETE py
WITH count(*) AS pairs
MATCH ()-[r:UNIT_LINK]->()
WHERE r.kind = $kind AND r.year IN $years
DELETE r
