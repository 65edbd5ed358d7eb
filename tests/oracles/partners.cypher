// partners — an institution's partner institutions and partner countries over a year range.
//
// Parameters:
//   $institution     the institution's name (English or Chinese), e.g. 'Tsinghua University'
//   $kind            'paper' or 'patent'                          default: 'paper'
//   $branch    only records of this technology branch, or null for all   default: null
//   $from            first year, or null for no bound              default: null
//   $to              last year, or null for no bound               default: null
//   $rollup          the institution includes its institutes/campuses, and partners are rolled up too   default: true
//   $partner_country only partners in this country, or null for all   default: null
//   $limit           partner institutions to return (every partner country is returned)   default: 50
// Returns: level, partner, partner_zh, country, records
//   level 'country' rows count records shared with each partner country (other than the
//   institution's own); level 'institution' rows count records shared with each partner institution.
MATCH (target:Institution)
WHERE target.name = $institution OR target.name_zh = $institution
   OR ($rollup AND (target)-[:PART_OF]->(:Institution {name: $institution}))
WITH collect(target) AS targets, collect(target.uid) AS own, collect(DISTINCT target.country) AS own_countries
UNWIND targets AS target
CALL {
  WITH target
  MATCH (target)<-[:AFFILIATED_WITH]-(p:Paper)
  WHERE $kind = 'paper' AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  RETURN p
  UNION
  WITH target
  MATCH (target)<-[:ASSIGNED_TO|INVENTED_AT]-(p:Patent)
  WHERE $kind = 'patent' AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  RETURN p
}
WITH DISTINCT p, own, own_countries
CALL {
  WITH p, own
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(other:Institution)
  WHERE NOT other.uid IN own
  OPTIONAL MATCH (other)-[:PART_OF]->(parent:Institution)
  WITH CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE other END AS unit
  WHERE NOT unit.name = $institution
  RETURN 'institution' AS level, unit.name AS partner, unit.name_zh AS partner_zh, unit.country AS country
  UNION
  WITH p, own_countries
  MATCH (p)-[f:FROM_COUNTRY]->(c:Country)
  WHERE NOT c.code IN own_countries AND coalesce(f.role, 'author') IN ['author', 'inventor']
  RETURN 'country' AS level, c.name AS partner, c.name_zh AS partner_zh, c.code AS country
}
WITH level, partner, partner_zh, country, count(DISTINCT p) AS records
WHERE $partner_country IS NULL OR country = $partner_country
WITH level, partner, partner_zh, country, records
ORDER BY level, records DESC, partner
// Every partner country; the $limit strongest partner institutions.
WITH level, collect({partner: partner, partner_zh: partner_zh, country: country, records: records}) AS rows
UNWIND CASE WHEN level = 'institution' THEN rows[..$limit] ELSE rows END AS row
RETURN level, row.partner AS partner, row.partner_zh AS partner_zh, row.country AS country, row.records AS records
ORDER BY level, records DESC, partner
