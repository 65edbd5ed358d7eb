// institution_record_types — chosen institutions' records by how many institutions are on them (m), for the counting reconciliation.
//
// Parameters:
//   $names   the institutions (English or Chinese names), e.g. ['Tsinghua University', '北京大学']
//   $a       country code for the a–b column, or null for none     default: null
//   $b       partner country code, or null for none                 default: null
//   $kind    'paper' or 'patent'                                  default: 'paper'
//   $from    first year, or null for no bound                      default: null
//   $to      last year, or null for no bound                       default: null
//   $branch  only records of this technology branch, or null for all   default: null
//   $rollup  an institution includes its institutes and campuses, and m counts rolled-up units   default: true
// Returns: uid, institution, name_zh, country, m, records, intl, n_ab
//   One row per institution and m: records = its records with m institutions on them (counted as
//   the roll-up counts them), intl = those with two or more countries (patents: inventors'),
//   n_ab = those with both a and b (0 when a or b is null).  Whole records, no weights: under
//   fractional counting each of these records credits the institution 1/m, so the rows give both
//   countings' totals and what makes them differ.  Records without a year are left out.
OPTIONAL MATCH (br:Branch {name: $branch})
WITH br
WHERE $branch IS NULL OR br IS NOT NULL
MATCH (e:Institution)
WHERE e.name IN $names OR e.name_zh IN $names
OPTIONAL MATCH (child:Institution)-[:PART_OF]->(e)
WITH br, e, [e] + [c IN collect(child) WHERE $rollup] AS members
UNWIND members AS x
MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(x)
WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
  AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  AND (br IS NULL OR (p)-[:IN_BRANCH]->(br))
WITH DISTINCT e, p
MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH e, p, size(collect(DISTINCT CASE WHEN $rollup AND parent IS NOT NULL THEN parent.uid ELSE i.uid END)) AS m
WITH e, m, CASE WHEN $kind = 'paper' THEN p.n_countries ELSE p.n_inventor_countries END > 1 AS intl,
     size([(p)-[f:FROM_COUNTRY]->(c:Country)
           WHERE c.code IN [$a, $b] AND coalesce(f.role, 'author') IN ['author', 'inventor'] | c]) = 2 AS both
RETURN e.uid AS uid, e.name AS institution, e.name_zh AS name_zh, e.country AS country, m,
       count(*) AS records, count(CASE WHEN intl THEN 1 END) AS intl, count(CASE WHEN both THEN 1 END) AS n_ab
ORDER BY institution, uid, m
