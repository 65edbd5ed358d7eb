// ego_network counted from the records: the reference the tallied query (cypher/ego_network.cypher)
// is compared with.
//
// Parameters:
//   $institution  the institution (English or Chinese name): one unit in the roll-up mode, or an
//                 institute (without institutes of its own) under roll-up
//   $kind, $from, $to, $rollup, $limit, $min_weight, $counting   as in cypher/ego_network.cypher
// Returns: source, target, weight, source_name, source_zh, source_country, target_name, target_zh, target_country
//
// A unit's records: those naming it (or, rolled up, one of its institutes).  Each record lists its
// units (an institution, or its parent when rolled up; the ego and its institutes as the ego) and m,
// their number.  The ego's weight: its records (whole) or 1/m each (fractional).  A partner's weight
// and its tie with the ego: the ego's records with the partner, 1 or 1/(m - 1) each.  Two partners'
// tie: the records with both in the whole network (the ego, if an institute, rolled up too).
// Partners: the units on the ego's records, strongest tie with the ego first.
MATCH (ego:Institution)
WHERE ego.name = $institution OR ego.name_zh = $institution
OPTIONAL MATCH (part:Institution)-[:PART_OF]->(ego)
WITH ego, [ego] + [c IN collect(part) WHERE $rollup] AS own
WITH ego, own, [o IN own | o.uid] AS own_uids
UNWIND own AS o
MATCH (o)<-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]-(p)
WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
  AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
WITH DISTINCT ego, own_uids, p
MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH ego, p, collect(DISTINCT CASE WHEN i.uid IN own_uids THEN ego
                                   WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END) AS units
WITH ego, p, units, size(units) AS m
UNWIND units AS unit
WITH ego, unit, count(p) AS records, sum(1.0 / m) AS own_frac,
     sum(CASE WHEN m > 1 THEN 1.0 / (m - 1) ELSE 0 END) AS shared_frac
WITH ego, unit, CASE WHEN $counting <> 'fractional' THEN records
                     WHEN unit = ego THEN own_frac
                     ELSE shared_frac END AS weight
// The ego first, then its partners.
ORDER BY CASE WHEN unit = ego THEN 0 ELSE 1 END, weight DESC, unit.name, unit.uid
WITH collect(unit)[0..$limit] AS nodes, collect(weight)[0..$limit] AS weights
CALL {
  WITH nodes, weights
  UNWIND range(0, size(nodes) - 1) AS k
  RETURN nodes[k] AS u, nodes[k] AS v, weights[k] AS weight
  UNION ALL
  WITH nodes, weights
  UNWIND range(1, size(nodes) - 1) AS k
  WITH nodes[0] AS ego, nodes[k] AS other, weights[k] AS weight
  RETURN CASE WHEN ego.uid < other.uid THEN ego ELSE other END AS u,
         CASE WHEN ego.uid < other.uid THEN other ELSE ego END AS v, weight
  UNION ALL
  // Every record of any partner, and the pairs of partners on it.
  WITH nodes
  WITH nodes[1..] AS nodes
  UNWIND nodes AS n
  OPTIONAL MATCH (part:Institution)-[:PART_OF]->(n)
  WITH nodes, n, [n] + [c IN collect(part) WHERE $rollup] AS members
  UNWIND members AS x
  MATCH (x)<-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  WITH DISTINCT [n IN nodes | n.uid] AS ids, p
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
  WITH ids, p, collect(DISTINCT CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END) AS units
  WITH size(units) AS m, [unit IN units WHERE unit.uid IN ids] AS here
  UNWIND here AS u
  UNWIND here AS v
  WITH u, v, m WHERE u.uid < v.uid
  RETURN u, v, sum(CASE WHEN $counting = 'fractional' THEN 1.0 / (m - 1) ELSE 1 END) AS weight
}
WITH u, v, weight
WHERE u.uid = v.uid OR weight >= $min_weight
RETURN u.uid AS source, v.uid AS target, weight,
       u.name AS source_name, u.name_zh AS source_zh, u.country AS source_country,
       v.name AS target_name, v.name_zh AS target_zh, v.country AS target_country
ORDER BY weight DESC, source, target
