// institution_list — institutions with their country, parent and number of records.
//
// Parameters:
//   $limit  rows to return                                        default: 50
// Returns: name, name_zh, country, parent, records, resolved
MATCH (i:Institution)
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH i, parent, size([(r)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i) | r]) AS records
RETURN i.name AS name, i.name_zh AS name_zh, i.country AS country, parent.name AS parent,
       records, i.resolved AS resolved
ORDER BY records DESC, name
LIMIT $limit
