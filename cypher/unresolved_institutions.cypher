// unresolved_institutions — raw institution names that matched no alias, most frequent first.
//
// Parameters:
//   $limit  rows to return                                        default: 50
// Returns: name, country, raw_names, records
MATCH (i:Institution)
WHERE i.resolved = false
WITH i, size([(r)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i) | r]) AS records
RETURN i.name AS name, i.country AS country, i.raw_names AS raw_names, records
ORDER BY records DESC, name
LIMIT $limit
