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
//   $counting  'whole' (a record counts 1 for each institution on it) or 'fractional'
//              (a record with m institutions credits each 1/m)   default: 'whole'
//   $min_intl  small-year rule: a year with fewer international records than this (records, under
//              either counting) is replaced by the mean of the years either side (numerator and
//              denominator); null = off   default: null
// Returns: institution, name_zh, country, total_ab, n_ab_1, n_intl_1, share_1, adjusted_1, n_ab_2, n_intl_2, share_2, adjusted_2, delta_n_ab, delta_share
//   All branches read the per-unit tallies the loader keeps; one branch is counted from its records.
WITH CASE WHEN $a < $b THEN $a ELSE $b END AS lo, CASE WHEN $a < $b THEN $b ELSE $a END AS hi
WITH $kind + '|' + toString($rollup) + '|' + lo + '|' + hi AS pair_key
CALL {
  WITH pair_key
  MATCH (py:PairYear {pair: pair_key})
  WHERE $branch IS NULL AND ($from IS NULL OR py.year >= $from) AND ($to IS NULL OR py.year <= $to)
  MATCH (py)-[h:HAS_UNIT]->(y:UnitYear)
  WITH y.unit AS unit_uid, CASE WHEN $counting = 'fractional' THEN h.frac ELSE h.records END AS n_ab
  // The compared years' counts are read below, for the chosen institutions only.
  RETURN unit_uid, sum(n_ab) AS total_ab, null AS ys
  UNION ALL
  WITH pair_key
  MATCH (br:Branch {name: $branch})
  WITH br
  MATCH (br)<-[:IN_BRANCH]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year IS NOT NULL AND coalesce(p.n_countries, p.n_inventor_countries) > 1
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i:Institution)
  OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
  WITH p, collect(DISTINCT CASE WHEN $rollup AND parent IS NOT NULL THEN parent.uid ELSE i.uid END) AS units
  WITH p.year AS year, units,
       size([(p)-[f:FROM_COUNTRY]->(c:Country)
             WHERE c.code IN [$a, $b] AND coalesce(f.role, 'author') IN ['author', 'inventor'] | c]) = 2 AS both
  UNWIND units AS unit_uid
  WITH unit_uid, year, both, CASE WHEN $counting = 'fractional' THEN 1.0 / size(units) ELSE 1 END AS w
  WITH unit_uid, year, sum(CASE WHEN both THEN w ELSE 0 END) AS n_ab, sum(w) AS n_intl, count(*) AS records
  WITH unit_uid, collect({year: year, n_ab: n_ab, n_intl: n_intl, records: records}) AS ys,
       sum(CASE WHEN ($from IS NULL OR year >= $from) AND ($to IS NULL OR year <= $to) THEN n_ab ELSE 0 END) AS total_ab
  RETURN unit_uid, total_ab, ys
}
WITH pair_key, unit_uid, total_ab, ys
WHERE total_ab > 0
MATCH (unit:Institution {uid: unit_uid})
WHERE ($country IS NULL AND unit.country IN [$a, $b]) OR unit.country = $country
WITH pair_key, unit, total_ab, ys
ORDER BY total_ab DESC, unit.name
LIMIT $limit
// From the tallies: the six years around the two compared ones.
OPTIONAL MATCH (unit)-[:HAS_UNIT_YEAR]->(y:UnitYear)
WHERE ys IS NULL AND y.kind = $kind AND y.rollup = $rollup
  AND y.year IN [$year1 - 1, $year1, $year1 + 1, $year2 - 1, $year2, $year2 + 1]
OPTIONAL MATCH (y)<-[h:HAS_UNIT]-(py:PairYear {pair: pair_key})
WITH unit, total_ab, ys,
     collect(CASE WHEN y IS NULL THEN null
                  WHEN $counting = 'fractional' THEN {year: y.year, n_ab: coalesce(h.frac, 0.0), n_intl: y.intl_frac, records: y.intl}
                  ELSE {year: y.year, n_ab: coalesce(h.records, 0), n_intl: y.intl, records: y.intl} END) AS tallied
WITH unit, total_ab, coalesce(ys, tallied) AS ys
WITH unit, total_ab,
     [y IN ys WHERE y.year = $year1 | y][0] AS c1,
     [y IN ys WHERE y.year = $year1 - 1 | y][0] AS before1,
     [y IN ys WHERE y.year = $year1 + 1 | y][0] AS after1,
     [y IN ys WHERE y.year = $year2 | y][0] AS c2,
     [y IN ys WHERE y.year = $year2 - 1 | y][0] AS before2,
     [y IN ys WHERE y.year = $year2 + 1 | y][0] AS after2
WITH unit, total_ab, c1, before1, after1, c2, before2, after2,
     // The rule is about small samples: it counts records, whatever the counting.
     $min_intl IS NOT NULL AND coalesce(c1.records, 0) < $min_intl AS adjusted_1,
     $min_intl IS NOT NULL AND coalesce(c2.records, 0) < $min_intl AS adjusted_2
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
