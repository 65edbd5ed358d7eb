// network_edges — the records chosen institutions share in a year range, every pair of them, weak links included.
//
// Parameters:
//   $ids     Institution uids as network_institutions returns them, e.g. ['CN:Tsinghua University']
//   $kind    'paper' or 'patent'                                  default: 'paper'
//   $from    first year, or null for no bound                      default: null
//   $to      last year, or null for no bound                       default: null
//   $branch  only records of this technology branch, e.g. 'FPGA', or null for all   default: null
//   $rollup  an institution includes its institutes and campuses (as in network_institutions)   default: true
// Returns: source, target, weight
//   A row whose source equals its target is a node: weight = the institution's records in the
//   range.  Every other row is a link, once per pair (source < target): weight = the records
//   both are on.  Counted as network_institutions counts, but for a fixed set of nodes and with
//   no minimum weight, so two periods compare link by link (a link below a threshold in one
//   period is weak there, not absent).
MATCH (u:Institution)
WHERE u.uid IN $ids
OPTIONAL MATCH (child:Institution)-[:PART_OF]->(u)
WITH u, [u] + [c IN collect(child) WHERE $rollup] AS members
UNWIND members AS x
MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(x)
WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
  AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
WITH DISTINCT p, u
WITH p, collect(u) AS units
UNWIND units AS s
UNWIND units AS t
WITH p, s, t
WHERE s.uid <= t.uid
RETURN s.uid AS source, t.uid AS target, count(p) AS weight
ORDER BY weight DESC, source, target
