// Drop the institution-view aggregates of the years a load touched; they are recounted right after
// from the records read back (unit_records.cypher, then apply_units.cypher).
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
MATCH ()-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED|SHARED_PAPERS_INSTITUTE]->()
WHERE $kind = 'paper' AND r.year IN $years
DELETE r
WITH count(*) AS paper_links
MATCH ()-[r:SHARED_PATENTS|SHARED_PATENTS_ROLLED|SHARED_PATENTS_INSTITUTE]->()
WHERE $kind = 'patent' AND r.year IN $years
DELETE r
