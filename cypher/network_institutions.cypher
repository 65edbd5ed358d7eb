// network_institutions — the institution collaboration network: the institutions with most records and the records they share.
//
// Parameters:
//   $kind         'paper' or 'patent'                                  default: 'paper'
//   $from         first year, or null for no bound                      default: null
//   $to           last year, or null for no bound                       default: null
//   $branch       only records of this technology branch, e.g. 'FPGA', or null for all   default: null
//   $countries    only institutions of these countries, e.g. ['CN', 'US'], or null for all   default: null
//   $institution  only the records of this institution (English or Chinese name): its ego network; null for all   default: null
//   $rollup       count institutes and campuses with their parent       default: true
//   $limit        nodes: the institutions with most records              default: 100
//   $min_weight   links: at least this many shared records               default: 1
//   $counting     'whole' (a record counts 1) or 'fractional' (a record with m institutions gives each
//                 1/m and each pair of them 1/(m - 1))                   default: 'whole'
// Returns: source, target, weight, source_name, source_zh, source_country, target_name, target_zh, target_country
//   A row whose source equals its target is a node: weight = the institution's records.  Every other
//   row is a link between two of those nodes, once per pair (source < target, by uid): weight = the
//   records both are on; source and target are Institution uids.  Records without a year are left
//   out.  All branches and no ego: read from the per-unit tallies and links the loader keeps;
//   otherwise counted from the records (the branch's, or the ego's).
// The tallied nodes (all branches, no ego): the units with most records in the range.
// slot = kind, roll-up mode and year in one indexed number (loader/aggregates.py series_slot).
WITH ((CASE WHEN $kind = 'paper' THEN 1 ELSE 3 END) + (CASE WHEN $rollup THEN 1 ELSE 0 END)) * 10000 AS series
MATCH (y:UnitYear)
WHERE $branch IS NULL AND $institution IS NULL
  AND y.slot >= series + coalesce($from, 0) AND y.slot <= series + coalesce($to, 9999)
  AND ($countries IS NULL OR y.country IN $countries)
WITH y.unit AS unit_uid, y.name AS name, CASE WHEN $counting = 'fractional' THEN y.records_frac ELSE y.records END AS w
WITH unit_uid, name, sum(w) AS weight
ORDER BY weight DESC, name
LIMIT $limit
MATCH (i:Institution {uid: unit_uid})
// Listed by uid, so that a pair (top[a], top[b]) with a < b is already in the links' direction
// (lower uid first): the pairs are enumerated by position, with no comparison per pair.
WITH i, weight
ORDER BY i.uid
WITH collect(i) AS top, collect(weight) AS weights
// Units come back as nodes and are only read from: no pattern below starts from them.
CALL {
  WITH top, weights
  UNWIND range(0, size(top) - 1) AS k
  RETURN top[k] AS u, top[k] AS v, weights[k] AS weight
  // Their links: each pair looked up directly (not every link of each node), in the one
  // relationship type of the kind and roll-up mode (loader/writes/common/apply_units.cypher).
  // A pair's years are added up in a list per pair, not by grouping every row on the pair of
  // nodes (a third faster at a million records); from 0.0, as the engine's sum() gives floats.
  UNION ALL
  WITH top
  UNWIND CASE WHEN $kind = 'paper' AND NOT $rollup THEN range(0, size(top) - 2) ELSE [] END AS a
  UNWIND range(a + 1, size(top) - 1) AS b
  WITH top[a] AS u, top[b] AS v
  WITH u, v, [(u)-[r:SHARED_PAPERS]->(v) WHERE r.year >= coalesce($from, 0) AND r.year <= coalesce($to, 9999) |
              CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END] AS ws
  WHERE size(ws) > 0
  RETURN u, v, reduce(s = 0.0, w IN ws | s + w) AS weight
  UNION ALL
  WITH top
  UNWIND CASE WHEN $kind = 'paper' AND $rollup THEN range(0, size(top) - 2) ELSE [] END AS a
  UNWIND range(a + 1, size(top) - 1) AS b
  WITH top[a] AS u, top[b] AS v
  WITH u, v, [(u)-[r:SHARED_PAPERS_ROLLED]->(v) WHERE r.year >= coalesce($from, 0) AND r.year <= coalesce($to, 9999) |
              CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END] AS ws
  WHERE size(ws) > 0
  RETURN u, v, reduce(s = 0.0, w IN ws | s + w) AS weight
  UNION ALL
  WITH top
  UNWIND CASE WHEN $kind = 'patent' AND NOT $rollup THEN range(0, size(top) - 2) ELSE [] END AS a
  UNWIND range(a + 1, size(top) - 1) AS b
  WITH top[a] AS u, top[b] AS v
  WITH u, v, [(u)-[r:SHARED_PATENTS]->(v) WHERE r.year >= coalesce($from, 0) AND r.year <= coalesce($to, 9999) |
              CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END] AS ws
  WHERE size(ws) > 0
  RETURN u, v, reduce(s = 0.0, w IN ws | s + w) AS weight
  UNION ALL
  WITH top
  UNWIND CASE WHEN $kind = 'patent' AND $rollup THEN range(0, size(top) - 2) ELSE [] END AS a
  UNWIND range(a + 1, size(top) - 1) AS b
  WITH top[a] AS u, top[b] AS v
  WITH u, v, [(u)-[r:SHARED_PATENTS_ROLLED]->(v) WHERE r.year >= coalesce($from, 0) AND r.year <= coalesce($to, 9999) |
              CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END] AS ws
  WHERE size(ws) > 0
  RETURN u, v, reduce(s = 0.0, w IN ws | s + w) AS weight
  UNION ALL
  // From the records: the branch's, or the ego's (its institutes too when rolled up).
  WITH top
  UNWIND CASE WHEN $branch IS NOT NULL OR $institution IS NOT NULL THEN [true] ELSE [] END AS counted
  OPTIONAL MATCH (e:Institution)
  WHERE e.name = $institution OR e.name_zh = $institution
  OPTIONAL MATCH (child:Institution)-[:PART_OF]->(e)
  WITH collect(DISTINCT e) + [c IN collect(DISTINCT child) WHERE $rollup] AS own
  OPTIONAL MATCH (br:Branch {name: $branch})
  WITH own, br
  UNWIND CASE WHEN $institution IS NULL THEN [br] ELSE own END AS start
  MATCH (start)<-[via:IN_BRANCH|AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND (type(via) = 'IN_BRANCH') = ($institution IS NULL)
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  WITH DISTINCT p
  WHERE $branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch})
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
  WITH p, collect(DISTINCT CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END) AS all_units
  WITH p, size(all_units) AS m, [u IN all_units WHERE $countries IS NULL OR u.country IN $countries] AS units
  UNWIND units AS unit
  WITH unit, collect({p: p, m: m}) AS recs
  ORDER BY size(recs) DESC, unit.name
  LIMIT $limit
  // Each record lists the chosen institutions on it; every pair on it (an institution with
  // itself included) counts the record once.
  UNWIND recs AS rec
  WITH rec.p AS p, rec.m AS m, collect(unit) AS units
  UNWIND units AS u
  UNWIND units AS v
  WITH p, m, u, v
  WHERE u.uid <= v.uid
  WITH u, v, CASE WHEN $counting <> 'fractional' THEN 1
                  WHEN u.uid = v.uid THEN 1.0 / m
                  ELSE 1.0 / (m - 1) END AS w
  RETURN u, v, sum(w) AS weight
}
WITH u, v, weight
WHERE u.uid = v.uid OR weight >= $min_weight
RETURN u.uid AS source, v.uid AS target, weight,
       u.name AS source_name, u.name_zh AS source_zh, u.country AS source_country,
       v.name AS target_name, v.name_zh AS target_zh, v.country AS target_country
ORDER BY weight DESC, source, target
