// institution_list — institutions with their country, parent and number of records.
//
// Parameters:
//   $limit  rows to return                                        default: 50
// Returns: name, name_zh, country, parent, records, resolved
//   records = the institution's own papers and patents with a year (its institutes not included),
//   read from the per-unit tallies the loader keeps.
MATCH (i:Institution)
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH i, parent,
     reduce(total = 0, n IN [(i)-[:HAS_UNIT_YEAR]->(y:UnitYear) WHERE y.rollup = false | y.records] | total + n) AS records
RETURN i.name AS name, i.name_zh AS name_zh, i.country AS country, parent.name AS parent,
       records, i.resolved AS resolved
ORDER BY records DESC, name
LIMIT $limit
