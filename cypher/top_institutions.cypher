// top_institutions — institutions ranked by their cumulative a–b records over a year range.
//
// Parameters:
//   $a         country code, e.g. 'CN'
//   $b         partner country code, e.g. 'US'
//   $kind      'paper' or 'patent'                                  default: 'paper'
//   $branch    only records of this technology branch, or null for all   default: null
//   $from      first year, or null for no bound                      default: null
//   $to        last year, or null for no bound                       default: null
//   $rollup    count institutes and campuses with their parent       default: true
//   $country   only institutions of this country, or null for a and b   default: null
//   $counting  'whole' (a record counts 1 for each institution on it) or 'fractional'
//              (a record with m institutions credits each 1/m)   default: 'whole'
//   $limit     rows to return                                        default: 10
// Returns: institution, name_zh, country, n_ab, n_intl, share
//   Over the year range (records without a year are left out).  All branches read the per-unit
//   tallies the loader keeps; one branch is counted from its records.
WITH CASE WHEN $a < $b THEN $a ELSE $b END AS lo, CASE WHEN $a < $b THEN $b ELSE $a END AS hi
CALL {
  WITH lo, hi
  MATCH (py:PairYear {pair: $kind + '|' + toString($rollup) + '|' + lo + '|' + hi})
  WHERE $branch IS NULL AND ($from IS NULL OR py.year >= $from) AND ($to IS NULL OR py.year <= $to)
  MATCH (py)-[h:HAS_UNIT]->(y:UnitYear)
  WITH y.unit AS unit_uid, CASE WHEN $counting = 'fractional' THEN h.frac ELSE h.records END AS n_ab
  // n_intl counts every year of the range, also those without an a–b record: read below.
  RETURN unit_uid, sum(n_ab) AS n_ab, null AS n_intl
  UNION ALL
  WITH lo, hi
  MATCH (br:Branch {name: $branch})
  WITH br
  MATCH (br)<-[:IN_BRANCH]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND coalesce(p.n_countries, p.n_inventor_countries) > 1
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
  WITH p, collect(DISTINCT CASE WHEN $rollup AND parent IS NOT NULL THEN parent.uid ELSE i.uid END) AS units
  WITH units,
       size([(p)-[f:FROM_COUNTRY]->(c:Country)
             WHERE c.code IN [$a, $b] AND coalesce(f.role, 'author') IN ['author', 'inventor'] | c]) = 2 AS both
  UNWIND units AS unit_uid
  WITH unit_uid, both, CASE WHEN $counting = 'fractional' THEN 1.0 / size(units) ELSE 1 END AS w
  WITH unit_uid, sum(CASE WHEN both THEN w ELSE 0 END) AS n_ab, sum(w) AS n_intl
  WHERE n_ab > 0
  RETURN unit_uid, n_ab, n_intl
}
WITH unit_uid, n_ab, n_intl
MATCH (unit:Institution {uid: unit_uid})
WHERE (($country IS NULL AND unit.country IN [$a, $b]) OR unit.country = $country)
WITH unit, n_ab, n_intl
ORDER BY n_ab DESC, unit.name
LIMIT $limit
WITH unit, n_ab, coalesce(n_intl, reduce(total = 0, n IN
       [(unit)-[:HAS_UNIT_YEAR]->(y:UnitYear)
        WHERE y.kind = $kind AND y.rollup = $rollup AND ($from IS NULL OR y.year >= $from) AND ($to IS NULL OR y.year <= $to)
        | CASE WHEN $counting = 'fractional' THEN y.intl_frac ELSE y.intl END] | total + n)) AS n_intl
RETURN unit.name AS institution, unit.name_zh AS name_zh, unit.country AS country,
       n_ab, n_intl, toFloat(n_ab) / n_intl AS share
ORDER BY n_ab DESC, institution
