// network_edges — the records chosen institutions share in a year range, every pair of them, weak links included.
//
// Parameters:
//   $ids       Institution uids as network_institutions returns them, e.g. ['CN:Tsinghua University']
//   $kind      'paper' or 'patent'                                  default: 'paper'
//   $from      first year, or null for no bound                      default: null
//   $to        last year, or null for no bound                       default: null
//   $branch    only records of this technology branch, e.g. 'FPGA', or null for all   default: null
//   $rollup    an institution includes its institutes and campuses (as in network_institutions)   default: true
//   $counting  'whole' (a record counts 1) or 'fractional' (a record with m institutions gives each
//              1/m and each pair of them 1/(m - 1))                   default: 'whole'
// Returns: source, target, weight
//   A row whose source equals its target is a node: weight = the institution's records in the
//   range.  Every other row is a link, once per pair (source < target): weight = the records
//   both are on.  Counted as network_institutions counts, but for a fixed set of nodes and with
//   no minimum weight, so two periods compare link by link (a link below a threshold in one
//   period is weak there, not absent).  Under 'fractional' weights are floats and m counts the
//   record's institutions as the roll-up counts them.  Records without a year are left out.
//   All branches read the per-unit tallies and links the loader keeps; one branch, or an id that
//   is an institute rolled up under its parent, is counted from the records.
OPTIONAL MATCH (child:Institution)-[:PART_OF]->(:Institution)
WHERE child.uid IN $ids
WITH $branch IS NULL AND NOT ($rollup AND count(child) > 0) AS tallied
CALL {
  WITH tallied
  UNWIND CASE WHEN tallied THEN $ids ELSE [] END AS u_uid
  WITH DISTINCT u_uid
  MATCH (u:Institution {uid: u_uid})
  WITH u
  MATCH (u)-[:HAS_UNIT_YEAR]->(y:UnitYear)
  WHERE y.kind = $kind AND y.rollup = $rollup AND ($from IS NULL OR y.year >= $from) AND ($to IS NULL OR y.year <= $to)
  RETURN u.uid AS source, u.uid AS target,
         CASE WHEN $counting = 'fractional' THEN y.records_frac ELSE y.records END AS w
  UNION ALL
  WITH tallied
  // Pair by pair: a large institution has links to thousands of others, a pair only a few years'.
  UNWIND CASE WHEN tallied THEN $ids ELSE [] END AS u_uid
  UNWIND $ids AS v_uid
  WITH DISTINCT u_uid, v_uid
  WHERE u_uid < v_uid
  MATCH (u:Institution {uid: u_uid})
  MATCH (v:Institution {uid: v_uid})
  WITH u, v
  // One relationship type per kind and roll-up mode (loader/writes/common/apply_units.cypher).
  MATCH (u)-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED|SHARED_PATENTS|SHARED_PATENTS_ROLLED]->(v)
  WHERE type(r) = CASE WHEN $kind = 'paper' THEN 'SHARED_PAPERS' ELSE 'SHARED_PATENTS' END
                  + CASE WHEN $rollup THEN '_ROLLED' ELSE '' END
    AND ($from IS NULL OR r.year >= $from) AND ($to IS NULL OR r.year <= $to)
  RETURN u.uid AS source, v.uid AS target, CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END AS w
  UNION ALL
  WITH tallied
  // The branch node first: a pattern to a bound node is a lookup, not a search, for each record.
  OPTIONAL MATCH (br:Branch {name: $branch})
  WITH tallied, br
  WHERE $branch IS NULL OR br IS NOT NULL
  UNWIND CASE WHEN tallied THEN [] ELSE $ids END AS u_uid
  MATCH (u:Institution {uid: u_uid})
  OPTIONAL MATCH (child:Institution)-[:PART_OF]->(u)
  WITH br, u, [u] + [c IN collect(child) WHERE $rollup] AS members
  UNWIND members AS x
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(x)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND (br IS NULL OR (p)-[:IN_BRANCH]->(br))
  WITH DISTINCT p, u.uid AS chosen
  WITH p, collect(chosen) AS chosen
  // m: every institution on the record, as the roll-up counts them, chosen or not.
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
  WITH p, chosen, size(collect(DISTINCT CASE WHEN $rollup AND parent IS NOT NULL THEN parent.uid ELSE i.uid END)) AS m
  UNWIND chosen AS s
  UNWIND chosen AS t
  WITH s, t, m
  WHERE s <= t
  RETURN s AS source, t AS target, CASE WHEN $counting <> 'fractional' THEN 1
                                        WHEN s = t THEN 1.0 / m
                                        ELSE 1.0 / CASE WHEN m > 1 THEN m - 1 ELSE 1 END END AS w
}
WITH source, target, sum(w) AS weight
RETURN source, target, CASE WHEN $counting = 'fractional' THEN toFloat(weight) ELSE toInteger(weight) END AS weight
ORDER BY weight DESC, source, target
