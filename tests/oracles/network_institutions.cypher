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
// Returns: source, target, weight, source_name, source_zh, source_country, target_name, target_zh, target_country
//   A row whose source equals its target is a node: weight = the institution's records.  Every other
//   row is a link between two of those nodes, once per pair (source < target, by uid): weight = the
//   records both are on.  Whole counting; source and target are Institution uids.
OPTIONAL MATCH (e:Institution)
WHERE e.name = $institution OR e.name_zh = $institution
OPTIONAL MATCH (child:Institution)-[:PART_OF]->(e)
WITH collect(DISTINCT e.uid) + [uid IN collect(DISTINCT child.uid) WHERE $rollup] AS own
// No CALL { … UNION … } here: FalkorDB does not treat a node returned by a subquery as bound
// in a later OPTIONAL MATCH or pattern comprehension, and would scan every node for each row.
MATCH (p)
WHERE (($kind = 'paper' AND p:Paper) OR ($kind = 'patent' AND p:Patent))
  AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
WITH own, p,
     CASE WHEN $institution IS NULL THEN 1
          ELSE size([(p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(x:Institution) WHERE x.uid IN own | x])
     END AS mine
WHERE mine > 0
MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH DISTINCT p, CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END AS unit
WHERE $countries IS NULL OR unit.country IN $countries
WITH unit, collect(p) AS recs
ORDER BY size(recs) DESC, unit.name
LIMIT $limit
// Each record lists the chosen institutions on it; every pair on it (an institution with
// itself included) counts the record once.
UNWIND recs AS p
WITH p, collect(unit) AS units
UNWIND units AS u
UNWIND units AS v
WITH p, u, v
WHERE u.uid <= v.uid
WITH u, v, count(p) AS weight
WHERE u.uid = v.uid OR weight >= $min_weight
RETURN u.uid AS source, v.uid AS target, weight,
       u.name AS source_name, u.name_zh AS source_zh, u.country AS source_country,
       v.name AS target_name, v.name_zh AS target_zh, v.country AS target_country
ORDER BY weight DESC, source, target
