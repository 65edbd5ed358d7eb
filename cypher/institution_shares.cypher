// institution_shares — per institution, its a–b records, its international records and the share.
//
// Parameters:
//   $a        country code, e.g. 'CN'
//   $b        partner country code, e.g. 'US'
//   $year     the year
//   $kind     'paper' or 'patent'                                  default: 'paper'
//   $rollup   count institutes and campuses with their parent (CAS, UC System, DOE ...)   default: true
//   $country  only institutions of this country, or null for a and b   default: null
//   $names    only these institution names (a list), or null for all   default: null
//   $limit    rows to return                                        default: 50
// Returns: institution, name_zh, country, n_ab, n_intl, share
//   n_ab = the institution's records with both a and b; n_intl = its records with two or more
//   countries; share = n_ab / n_intl.  Patents count inventors' countries and applicants.
CALL {
  MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution)
  WHERE $kind = 'paper' AND p.year = $year AND p.n_countries > 1
  RETURN p.uid AS rec, i,
         size([(p)-[:FROM_COUNTRY]->(c:Country) WHERE c.code IN [$a, $b] | c]) = 2 AS both
  UNION
  MATCH (p:Patent)-[:ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  WHERE $kind = 'patent' AND p.year = $year AND p.n_inventor_countries > 1
  RETURN p.uid AS rec, i,
         size([(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = 'inventor' AND c.code IN [$a, $b] | c]) = 2 AS both
}
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH rec, both, CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END AS unit
WITH unit, count(DISTINCT rec) AS n_intl, count(DISTINCT CASE WHEN both THEN rec END) AS n_ab
WHERE n_ab > 0
  AND (($country IS NULL AND unit.country IN [$a, $b]) OR unit.country = $country)
  AND ($names IS NULL OR unit.name IN $names)
RETURN unit.name AS institution, unit.name_zh AS name_zh, unit.country AS country,
       n_ab, n_intl, toFloat(n_ab) / n_intl AS share
ORDER BY n_ab DESC, institution
LIMIT $limit
