// link_records as it was before it started from the smaller side: every record of the institution,
// each checked for the partner's names.  The reference cypher/link_records.cypher is compared with.
//
// Parameters:
//   $institution      the institution's name (English or Chinese), e.g. 'Tsinghua University'
//   $partner          the partner institution's name (English or Chinese), or null for any   default: null
//   $partner_country  the partner country's code, e.g. 'US', or null for any   default: null
//   $kind             'paper' or 'patent'                          default: 'paper'
//   $from             first year, or null for no bound              default: null
//   $to               last year, or null for no bound               default: null
//   $rollup           both sides include their institutes and campuses (as in partners)   default: true
//   $limit            rows to return                                default: 200
// Returns: title, year, source, uid, doi
//   The records that the partners query counts for that partner (level 'institution': $partner,
//   level 'country': $partner_country), newest first.  Patents have no DOI.
MATCH (e:Institution)
WHERE e.name = $institution OR e.name_zh = $institution
OPTIONAL MATCH (child:Institution)-[:PART_OF]->(e)
WITH collect(DISTINCT e) + [c IN collect(DISTINCT child) WHERE $rollup] AS units
UNWIND units AS i
CALL {
  WITH i
  MATCH (i)<-[:AFFILIATED_WITH]-(p:Paper)
  WHERE $kind = 'paper' AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  OPTIONAL MATCH (p)-[:AFFILIATED_WITH]->(x:Institution)
  OPTIONAL MATCH (x)-[:PART_OF]->(y:Institution)
  RETURN p, collect(x.name) + collect(x.name_zh) + [n IN collect(y.name) + collect(y.name_zh) WHERE $rollup] AS names,
         [(p)-[:FROM_COUNTRY]->(c:Country) | c.code] AS countries
  UNION
  WITH i
  MATCH (i)<-[:ASSIGNED_TO|INVENTED_AT]-(p:Patent)
  WHERE $kind = 'patent' AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  OPTIONAL MATCH (p)-[:ASSIGNED_TO|INVENTED_AT]->(x:Institution)
  OPTIONAL MATCH (x)-[:PART_OF]->(y:Institution)
  RETURN p, collect(x.name) + collect(x.name_zh) + [n IN collect(y.name) + collect(y.name_zh) WHERE $rollup] AS names,
         [(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = 'inventor' | c.code] AS countries
}
WITH DISTINCT p, names, countries
WHERE ($partner IS NULL OR $partner IN names)
  AND ($partner_country IS NULL OR $partner_country IN countries)
RETURN p.title AS title, p.year AS year, p.source AS source, p.uid AS uid, p.doi AS doi
ORDER BY year DESC, uid
LIMIT $limit
