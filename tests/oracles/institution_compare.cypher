// institution_compare — the top institutions' a–b records and shares in two years, side by side (figure 2).
//
// Parameters:
//   $a         country code, e.g. 'CN'
//   $b         partner country code, e.g. 'US'
//   $year1     the earlier year, e.g. 2019
//   $year2     the later year, e.g. 2022
//   $kind      'paper' or 'patent'                                 default: 'paper'
//   $branch    only records of this technology branch, or null for all   default: null
//   $from      ranking: first year, or null for no bound            default: null
//   $to        ranking: last year, or null for no bound             default: null
//   $rollup    count institutes and campuses with their parent      default: true
//   $country   only institutions of this country, or null for a and b   default: null
//   $limit     how many institutions (ranked by cumulative a–b records)   default: 10
//   $min_intl  small-year rule: a year with fewer international records than this is replaced by
//              the mean of the years either side (numerator and denominator); null = off   default: null
// Returns: institution, name_zh, country, total_ab, n_ab_1, n_intl_1, share_1, adjusted_1, n_ab_2, n_intl_2, share_2, adjusted_2, delta_n_ab, delta_share
MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
  AND coalesce(p.n_countries, p.n_inventor_countries) > 1
  AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  AND p.year IS NOT NULL
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH p, p.year AS year, CASE WHEN $rollup AND parent IS NOT NULL THEN parent ELSE i END AS unit,
     size([(p)-[f:FROM_COUNTRY]->(c:Country)
           WHERE c.code IN [$a, $b] AND coalesce(f.role, 'author') IN ['author', 'inventor'] | c]) = 2 AS both
WITH unit, year, count(DISTINCT p) AS n_intl, count(DISTINCT CASE WHEN both THEN p END) AS n_ab
WITH unit, collect({year: year, n_ab: n_ab, n_intl: n_intl}) AS ys,
     toInteger(sum(CASE WHEN ($from IS NULL OR year >= $from) AND ($to IS NULL OR year <= $to)
                        THEN n_ab ELSE 0 END)) AS total_ab
WHERE total_ab > 0 AND (($country IS NULL AND unit.country IN [$a, $b]) OR unit.country = $country)
WITH unit, ys, total_ab
ORDER BY total_ab DESC, unit.name
LIMIT $limit
WITH unit, total_ab,
     [y IN ys WHERE y.year = $year1 | y][0] AS c1,
     [y IN ys WHERE y.year = $year1 - 1 | y][0] AS before1,
     [y IN ys WHERE y.year = $year1 + 1 | y][0] AS after1,
     [y IN ys WHERE y.year = $year2 | y][0] AS c2,
     [y IN ys WHERE y.year = $year2 - 1 | y][0] AS before2,
     [y IN ys WHERE y.year = $year2 + 1 | y][0] AS after2
WITH unit, total_ab, c1, before1, after1, c2, before2, after2,
     $min_intl IS NOT NULL AND coalesce(c1.n_intl, 0) < $min_intl AS adjusted_1,
     $min_intl IS NOT NULL AND coalesce(c2.n_intl, 0) < $min_intl AS adjusted_2
WITH unit, total_ab, adjusted_1, adjusted_2,
     CASE WHEN adjusted_1 THEN (coalesce(before1.n_ab, 0) + coalesce(after1.n_ab, 0)) / 2.0
          ELSE toFloat(coalesce(c1.n_ab, 0)) END AS n_ab_1,
     CASE WHEN adjusted_1 THEN (coalesce(before1.n_intl, 0) + coalesce(after1.n_intl, 0)) / 2.0
          ELSE toFloat(coalesce(c1.n_intl, 0)) END AS n_intl_1,
     CASE WHEN adjusted_2 THEN (coalesce(before2.n_ab, 0) + coalesce(after2.n_ab, 0)) / 2.0
          ELSE toFloat(coalesce(c2.n_ab, 0)) END AS n_ab_2,
     CASE WHEN adjusted_2 THEN (coalesce(before2.n_intl, 0) + coalesce(after2.n_intl, 0)) / 2.0
          ELSE toFloat(coalesce(c2.n_intl, 0)) END AS n_intl_2
WITH unit, total_ab, adjusted_1, adjusted_2, n_ab_1, n_intl_1, n_ab_2, n_intl_2,
     CASE WHEN n_intl_1 > 0 THEN n_ab_1 / n_intl_1 ELSE null END AS share_1,
     CASE WHEN n_intl_2 > 0 THEN n_ab_2 / n_intl_2 ELSE null END AS share_2
RETURN unit.name AS institution, unit.name_zh AS name_zh, unit.country AS country, total_ab,
       n_ab_1, n_intl_1, share_1, adjusted_1, n_ab_2, n_intl_2, share_2, adjusted_2,
       n_ab_2 - n_ab_1 AS delta_n_ab,
       CASE WHEN share_1 IS NULL OR share_2 IS NULL THEN null ELSE share_2 - share_1 END AS delta_share
ORDER BY total_ab DESC, institution
