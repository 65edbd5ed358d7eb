// institution_list — institutions with their country, parent and number of records.
//
// Parameters:
//   $limit  rows to return                                        default: 50
// Returns: name, name_zh, country, parent, records, resolved
//   records = the institution's own papers and patents with a year (its institutes not included),
//   read from the per-unit tallies the loader keeps.  Ties by name, then country.
// Ranked from the tallies themselves (each carries its institution's uid and name), so that only
// the institutions listed are visited; institutions without records fill the list only when
// fewer than $limit have any.
MATCH (y:UnitYear)
WHERE y.rollup = false
WITH y.unit AS uid, y.name AS name, y.country AS country, toInteger(sum(y.records)) AS records
WHERE records > 0
WITH uid, records
ORDER BY records DESC, name, country
WITH collect({uid: uid, records: records}) AS ranked
CALL {
  WITH ranked
  UNWIND ranked[..$limit] AS r
  RETURN r.uid AS uid, r.records AS records
  UNION ALL
  WITH ranked
  WITH ranked, [r IN ranked | r.uid] AS counted
  MATCH (i:Institution)
  WHERE size(ranked) < $limit AND NOT i.uid IN counted
  RETURN i.uid AS uid, 0 AS records
}
WITH uid, records
MATCH (i:Institution {uid: uid})
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
RETURN i.name AS name, i.name_zh AS name_zh, i.country AS country, parent.name AS parent,
       records, i.resolved AS resolved
ORDER BY records DESC, name, country
LIMIT $limit
