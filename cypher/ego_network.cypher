// ego_network — one institution's ego network: the institution, its strongest partners and the ties among them, from the per-unit tallies and links.
//
// Parameters:
//   $institution  the institution (English or Chinese name), e.g. 'Tsinghua University'
//   $kind         'paper' or 'patent'                                  default: 'paper'
//   $from         first year, or null for no bound                      default: null
//   $to           last year, or null for no bound                       default: null
//   $rollup       count institutes and campuses with their parent       default: true
//   $limit        nodes: the institution and its $limit - 1 strongest partners   default: 25
//   $min_weight   links: at least this many shared records               default: 1
//   $counting     'whole' (a record counts 1) or 'fractional' (a record with m institutions gives each
//                 1/m and each pair of them 1/(m - 1))                   default: 'whole'
// Returns: source, target, weight, source_name, source_zh, source_country, target_name, target_zh, target_country
//   The columns and order of network_institutions.  A row whose source equals its target is a node:
//   the institution's weight = its records; a partner's weight = the records it shares with the
//   institution (the weight of their link).  Partners: the units sharing most records with the
//   institution in the range, ties by name.  Every other row is a link between two nodes, once per
//   pair (source < target, by uid): weight = all the records both are on in the range, with or
//   without the institution (the whole network's tie).  Records without a year are left out.
//   Under roll-up an institute or campus is the ego on its own, its partners and their ties rolled
//   up.  A name two institutions share, or an institute that has institutes of its own, returns no
//   rows (ask network_institutions).
// slot = kind, mode and year in one indexed number (loader/aggregates.py series_slot).
OPTIONAL MATCH (named:Institution)
WHERE named.name = $institution OR named.name_zh = $institution
OPTIONAL MATCH (named)-[:PART_OF]->(up:Institution)
OPTIONAL MATCH (part:Institution)-[:PART_OF]->(named)
WITH collect(DISTINCT named) AS named, count(DISTINCT up) AS parents, count(DISTINCT part) AS parts
WITH named, parts, $rollup AND parents > 0 AS institute
UNWIND CASE WHEN size(named) = 1 AND NOT (institute AND parts > 0) THEN named ELSE [] END AS ego
WITH ego,
     CASE WHEN institute THEN CASE WHEN $kind = 'paper' THEN 5 ELSE 6 END
          ELSE (CASE WHEN $kind = 'paper' THEN 1 ELSE 3 END) + (CASE WHEN $rollup THEN 1 ELSE 0 END) END * 10000 AS series,
     // The ties among units, and the ego's own (an institute's: its _INSTITUTE links).
     CASE WHEN $kind = 'paper' THEN 'SHARED_PAPERS' ELSE 'SHARED_PATENTS' END
       + CASE WHEN $rollup THEN '_ROLLED' ELSE '' END AS shared_type,
     CASE WHEN $kind = 'paper' THEN 'SHARED_PAPERS' ELSE 'SHARED_PATENTS' END
       + CASE WHEN institute THEN '_INSTITUTE' WHEN $rollup THEN '_ROLLED' ELSE '' END AS ego_type
MATCH (ego)-[:HAS_UNIT_YEAR]->(y:UnitYear)
WHERE y.slot >= series + coalesce($from, 0) AND y.slot <= series + coalesce($to, 9999)
WITH ego, shared_type, ego_type, sum(CASE WHEN $counting = 'fractional' THEN y.records_frac ELSE y.records END) AS own
// Partners: the ego's own links (a few per partner and year), not its records.
OPTIONAL MATCH (ego)-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED|SHARED_PAPERS_INSTITUTE|SHARED_PATENTS|SHARED_PATENTS_ROLLED|SHARED_PATENTS_INSTITUTE]-(other:Institution)
WHERE type(r) = ego_type AND r.year >= coalesce($from, 0) AND r.year <= coalesce($to, 9999)
WITH ego, own, shared_type, other, sum(CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END) AS shared
ORDER BY shared DESC, other.name, other.uid
WITH ego, own, shared_type, collect(other)[0..$limit - 1] AS partners,
     collect(CASE WHEN other IS NOT NULL THEN shared END)[0..$limit - 1] AS weights
CALL {
  WITH ego, own, partners, weights
  WITH [ego] + partners AS nodes, [own] + weights AS weights
  UNWIND range(0, size(nodes) - 1) AS k
  RETURN nodes[k] AS u, nodes[k] AS v, weights[k] AS weight
  UNION ALL
  // The ego's ties: the weights its partners were ranked by.
  WITH ego, partners, weights
  UNWIND range(0, size(partners) - 1) AS k
  WITH ego, partners[k] AS other, weights[k] AS weight
  RETURN CASE WHEN ego.uid < other.uid THEN ego ELSE other END AS u,
         CASE WHEN ego.uid < other.uid THEN other ELSE ego END AS v, weight
  UNION ALL
  // Ties among partners: every pair looked up directly, in the one relationship type of the kind
  // and mode.
  WITH partners, shared_type
  UNWIND partners AS u
  UNWIND partners AS v
  WITH u, v, shared_type WHERE u.uid < v.uid
  MATCH (u)-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED|SHARED_PATENTS|SHARED_PATENTS_ROLLED]->(v)
  WHERE type(r) = shared_type AND r.year >= coalesce($from, 0) AND r.year <= coalesce($to, 9999)
  RETURN u, v, sum(CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END) AS weight
}
WITH u, v, weight
WHERE u.uid = v.uid OR weight >= $min_weight
RETURN u.uid AS source, v.uid AS target, weight,
       u.name AS source_name, u.name_zh AS source_zh, u.country AS source_country,
       v.name AS target_name, v.name_zh AS target_zh, v.country AS target_country
ORDER BY weight DESC, source, target
