// institution_search — institutions whose English or Chinese name, or a spelling read from an export, contains the text.
//
// Parameters:
//   $q      the text to look for, in any case, e.g. 'tsinghua', '清华' or 'Univ Calif'
//   $limit  rows to return                                        default: 20
// Returns: name, name_zh, country, parent, children, records
//   parent = the institution it rolls up into (CAS, a university system, DOE), children = the
//   institutes or campuses that roll up into it, records = papers and patents naming it directly.
MATCH (i:Institution)
WHERE toLower(i.name) CONTAINS toLower($q)
   OR toLower(coalesce(i.name_zh, '')) CONTAINS toLower($q)
   OR any(raw IN coalesce(i.raw_names, []) WHERE toLower(raw) CONTAINS toLower($q))
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH i, parent,
     size([(c:Institution)-[:PART_OF]->(i) | c]) AS children,
     size([(r)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i) | r]) AS records
RETURN i.name AS name, i.name_zh AS name_zh, i.country AS country, parent.name AS parent, children, records
ORDER BY records DESC, name
LIMIT $limit
