// institution_shares — per institution, its a–b records, its international records and the share.
//
// Parameters:
//   $a        country code, e.g. 'CN'
//   $b        partner country code, e.g. 'US'
//   $year     the year
//   $kind     'paper' or 'patent'                                  default: 'paper'
//   $branch    only records of this technology branch, or null for all   default: null
//   $rollup   count institutes and campuses with their parent (CAS, UC System, DOE ...)   default: true
//   $country  only institutions of this country, or null for a and b   default: null
//   $names    only these institution names (a list), or null for all   default: null
//   $limit    rows to return                                        default: 50
// Returns: institution, name_zh, country, n_ab, n_intl, share
//   n_ab = the institution's records with both a and b; n_intl = its records with two or more
//   countries; share = n_ab / n_intl.  Patents count inventors' countries and applicants.
MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
  AND coalesce(p.n_countries, p.n_inventor_countries) > 1
  AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  AND p.year = $year
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH p, CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END AS unit,
     size([(p)-[f:FROM_COUNTRY]->(c:Country)
           WHERE c.code IN [$a, $b] AND coalesce(f.role, 'author') IN ['author', 'inventor'] | c]) = 2 AS both
WITH unit, count(DISTINCT p) AS n_intl, count(DISTINCT CASE WHEN both THEN p END) AS n_ab
WHERE n_ab > 0
  AND (($country IS NULL AND unit.country IN [$a, $b]) OR unit.country = $country)
  AND ($names IS NULL OR unit.name IN $names)
RETURN unit.name AS institution, unit.name_zh AS name_zh, unit.country AS country,
       n_ab, n_intl, toFloat(n_ab) / n_intl AS share
ORDER BY n_ab DESC, institution
LIMIT $limit
