// partners — an institution's partner institutions and partner countries over a year range.
//
// Parameters:
//   $institution     the institution's name (English or Chinese), e.g. 'Tsinghua University'
//   $kind            'paper' or 'patent'                          default: 'paper'
//   $branch          only records of this technology branch, or null for all   default: null
//   $from            first year, or null for no bound              default: null
//   $to              last year, or null for no bound               default: null
//   $rollup          the institution includes its institutes/campuses, and partners are rolled up too   default: true
//   $partner_country only partners in this country, or null for all   default: null
//   $counting        'whole' (a shared record counts 1) or 'fractional' (a record with m institutions
//                    gives each partner institution 1/(m - 1) and each partner country 1/m)   default: 'whole'
//   $limit           partner institutions to return (every partner country is returned)   default: 50
// Returns: level, partner, partner_zh, country, records
//   level 'country' rows count records shared with each partner country (other than the
//   institution's own); level 'institution' rows count records shared with each partner institution.
//   Records without a year are left out.  Under roll-up, an institute or campus counts as one unit with
//   its own institutes, every other institution rolled up.  One institution, all branches: read from
//   the per-unit tallies and links the loader keeps (an institute's own, under roll-up); otherwise (a
//   branch, a name several institutions share, or an institute that has institutes itself) counted
//   from the records.
OPTIONAL MATCH (named:Institution)
WHERE named.name = $institution OR named.name_zh = $institution
OPTIONAL MATCH (named)-[:PART_OF]->(up:Institution)
OPTIONAL MATCH (part:Institution)-[:PART_OF]->(named)
WITH collect(DISTINCT named) AS named, count(DISTINCT up) AS parents, count(DISTINCT part) AS parts
WITH named, parts, $rollup AND parents > 0 AS institute
WITH named, institute, $branch IS NULL AND size(named) = 1 AND NOT (institute AND parts > 0) AS tallied,
     // One relationship type per kind and mode (loader/aggregates.py link_type), worked out once
     // here: written into the filter below it was worked out again for every link (+25% at 1M).
     CASE WHEN $kind = 'paper' THEN 'SHARED_PAPERS' ELSE 'SHARED_PATENTS' END
       + CASE WHEN institute THEN '_INSTITUTE' WHEN $rollup THEN '_ROLLED' ELSE '' END AS shared_type,
     // slot = kind, mode and year in one indexed number (loader/aggregates.py series_slot).
     CASE WHEN institute THEN CASE WHEN $kind = 'paper' THEN 5 ELSE 6 END
          ELSE (CASE WHEN $kind = 'paper' THEN 1 ELSE 3 END) + (CASE WHEN $rollup THEN 1 ELSE 0 END) END * 10000 AS series
CALL {
  WITH named, tallied, shared_type
  UNWIND CASE WHEN tallied THEN named ELSE [] END AS target
  MATCH (target)-[r:SHARED_PAPERS|SHARED_PAPERS_ROLLED|SHARED_PAPERS_INSTITUTE|SHARED_PATENTS|SHARED_PATENTS_ROLLED|SHARED_PATENTS_INSTITUTE]-(other:Institution)
  WHERE type(r) = shared_type
    AND ($from IS NULL OR r.year >= $from) AND ($to IS NULL OR r.year <= $to)
    AND NOT other.name = $institution
  WITH other, CASE WHEN $counting = 'fractional' THEN r.frac ELSE r.records END AS w
  RETURN 'institution' AS level, other.name AS partner, other.name_zh AS partner_zh, other.country AS country,
         sum(w) AS records
  UNION ALL
  WITH named, tallied, series
  UNWIND CASE WHEN tallied THEN named ELSE [] END AS target
  MATCH (target)-[:HAS_UNIT_YEAR]->(y:UnitYear)
  WHERE y.slot >= series + coalesce($from, 0) AND y.slot <= series + coalesce($to, 9999)
  MATCH (y)-[with:WITH_COUNTRY]->(c:Country)
  WHERE NOT c.code = target.country
  WITH c, CASE WHEN $counting = 'fractional' THEN with.frac ELSE with.records END AS w
  RETURN 'country' AS level, c.name AS partner, c.name_zh AS partner_zh, c.code AS country, sum(w) AS records
  UNION ALL
  WITH tallied
  MATCH (target:Institution)
  WHERE NOT tallied
    AND (target.name = $institution OR target.name_zh = $institution
         OR ($rollup AND (target)-[:PART_OF]->(:Institution {name: $institution})))
  WITH collect(target) AS targets, collect(target.uid) AS own, collect(DISTINCT target.country) AS own_countries
  UNWIND targets AS target
  MATCH (target)<-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  WITH DISTINCT p, own, own_countries
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
  WITH p, own_countries, CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END AS unit, i.uid IN own AS mine
  // The record's units: the institution with its own institutes as one (''), the others as the
  // roll-up counts them.
  WITH p, own_countries, collect(DISTINCT CASE WHEN mine THEN '' ELSE unit.uid END) AS units,
       collect(DISTINCT CASE WHEN mine OR unit.name = $institution THEN null ELSE unit END) AS others
  WITH p, own_countries, others,
       CASE WHEN $counting = 'fractional' THEN 1.0 / size(units) ELSE 1 END AS country_w,
       CASE WHEN $counting <> 'fractional' THEN 1 WHEN size(units) > 1 THEN 1.0 / (size(units) - 1) ELSE 1.0 END AS link_w
  WITH [u IN others | {level: 'institution', partner: u.name, partner_zh: u.name_zh, country: u.country, w: link_w}] +
       [(p)-[f:FROM_COUNTRY]->(c:Country) WHERE NOT c.code IN own_countries AND coalesce(f.role, 'author') IN ['author', 'inventor']
        | {level: 'country', partner: c.name, partner_zh: c.name_zh, country: c.code, w: country_w}] AS shared
  UNWIND shared AS row
  RETURN row.level AS level, row.partner AS partner, row.partner_zh AS partner_zh, row.country AS country,
         sum(row.w) AS records
}
WITH level, partner, partner_zh, country, records
WHERE $partner_country IS NULL OR country = $partner_country
WITH level, partner, partner_zh, country, records
ORDER BY level, records DESC, partner
// Every partner country; the $limit strongest partner institutions.
WITH level, collect({partner: partner, partner_zh: partner_zh, country: country, records: records}) AS rows
UNWIND CASE WHEN level = 'institution' THEN rows[..$limit] ELSE rows END AS row
RETURN level, row.partner AS partner, row.partner_zh AS partner_zh, row.country AS country, row.records AS records
ORDER BY level, records DESC, partner
