// institution_shares — per institution, its a–b records, its international records and the share.
//
// Parameters:
//   $a         country code, e.g. 'CN'
//   $b         partner country code, e.g. 'US'
//   $year      the year
//   $kind      'paper' or 'patent'                                  default: 'paper'
//   $branch    only records of this technology branch, or null for all   default: null
//   $rollup    count institutes and campuses with their parent (CAS, UC System, DOE ...)   default: true
//   $country   only institutions of this country, or null for a and b   default: null
//   $names     only these institution names (a list), or null for all   default: null
//   $counting  'whole' (the study's: a record counts 1 for each institution on it) or 'fractional'
//              (a record with m institutions credits each 1/m)   default: 'whole'
//   $limit     rows to return                                        default: 50
// Returns: institution, name_zh, country, n_ab, n_intl, share
//   n_ab = the institution's records with both a and b; n_intl = its records with two or more
//   countries; share = n_ab / n_intl.  Patents count inventors' countries and applicants.
//   All branches read the per-unit tallies the loader keeps; one branch is counted from its records.
WITH CASE WHEN $a < $b THEN $a ELSE $b END AS lo, CASE WHEN $a < $b THEN $b ELSE $a END AS hi
CALL {
  WITH lo, hi
  MATCH (py:PairYear {uid: $kind + '|' + toString($rollup) + '|' + lo + '|' + hi + '|' + toString($year)})
  WHERE $branch IS NULL
  MATCH (py)-[h:HAS_UNIT]->(y:UnitYear)
  // A unit tally carries its institution's name and country (loader/aggregates.py), so the
  // rows are filtered and ranked without visiting the institutions.
  RETURN y.unit AS unit_uid, y.name AS name, y.country AS country,
         CASE WHEN $counting = 'fractional' THEN h.frac ELSE h.records END AS n_ab,
         CASE WHEN $counting = 'fractional' THEN y.intl_frac ELSE y.intl END AS n_intl
  UNION ALL
  WITH lo, hi
  MATCH (br:Branch {name: $branch})
  WITH br
  MATCH (br)<-[:IN_BRANCH]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year = $year AND coalesce(p.n_countries, p.n_inventor_countries) > 1
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
  WITH p, collect(DISTINCT CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END) AS units
  WITH units, size([(p)-[f:FROM_COUNTRY]->(c:Country)
                    WHERE c.code IN [$a, $b] AND coalesce(f.role, 'author') IN ['author', 'inventor'] | c]) = 2 AS both
  UNWIND units AS unit
  WITH unit, both, CASE WHEN $counting = 'fractional' THEN 1.0 / size(units) ELSE 1 END AS w
  WITH unit, sum(CASE WHEN both THEN w ELSE 0 END) AS n_ab, sum(w) AS n_intl
  WHERE n_ab > 0
  RETURN unit.uid AS unit_uid, unit.name AS name, unit.country AS country, n_ab, n_intl
}
WITH unit_uid, name, country, n_ab, n_intl
WHERE (($country IS NULL AND country IN [$a, $b]) OR country = $country)
  AND ($names IS NULL OR name IN $names)
WITH unit_uid, name, n_ab, n_intl
ORDER BY n_ab DESC, name
LIMIT $limit
// Only the rows returned visit their institution, for its Chinese name.
MATCH (unit:Institution {uid: unit_uid})
RETURN unit.name AS institution, unit.name_zh AS name_zh, unit.country AS country,
       n_ab, n_intl, toFloat(n_ab) / n_intl AS share
ORDER BY n_ab DESC, institution
