// institution_series — one institution's a–b records, international records and share, year by year.
//
// Parameters:
//   $institution  the institution's name (English or Chinese), e.g. 'Tsinghua University'
//   $a            country code, e.g. 'CN'
//   $b            partner country code, e.g. 'US'
//   $kind         'paper' or 'patent'                                  default: 'paper'
//   $from         first year, or null for no bound                      default: null
//   $to           last year, or null for no bound                       default: null
//   $rollup       the institution includes its institutes and campuses  default: true
// Returns: year, n_ab, n_intl, share
//   n_intl = the institution's records with two or more countries; n_ab = those with both a and b;
//   share = n_ab / n_intl.  Counted as in institution_shares, so one year here equals its row there.
//   One row per year with an international record.
MATCH (e:Institution)
WHERE e.name = $institution OR e.name_zh = $institution
OPTIONAL MATCH (child:Institution)-[:PART_OF]->(e)
WITH collect(DISTINCT e) + [c IN collect(DISTINCT child) WHERE $rollup] AS units
UNWIND units AS i
CALL {
  WITH i
  MATCH (p:Paper)-[:AFFILIATED_WITH]->(i)
  WHERE $kind = 'paper' AND p.n_countries > 1
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  RETURN p.uid AS rec, p.year AS year,
         size([(p)-[:FROM_COUNTRY]->(c:Country) WHERE c.code IN [$a, $b] | c]) = 2 AS both
  UNION
  WITH i
  MATCH (p:Patent)-[:ASSIGNED_TO|INVENTED_AT]->(i)
  WHERE $kind = 'patent' AND p.n_inventor_countries > 1
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  RETURN p.uid AS rec, p.year AS year,
         size([(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = 'inventor' AND c.code IN [$a, $b] | c]) = 2 AS both
}
WITH year, count(DISTINCT rec) AS n_intl, count(DISTINCT CASE WHEN both THEN rec END) AS n_ab
WHERE year IS NOT NULL
RETURN year, n_ab, n_intl, toFloat(n_ab) / n_intl AS share
ORDER BY year
