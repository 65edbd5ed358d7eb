// country_matrix — for every pair among chosen countries, their joint records and each one's international records over a year range.
//
// Parameters:
//   $codes     the countries, e.g. ['CN', 'US', 'GB', 'JP', 'DE']
//   $kind      'paper' or 'patent'                                  default: 'paper'
//   $role      patents: whose country counts, 'inventor' or 'applicant' (papers ignore it)   default: 'inventor'
//   $from      first year, or null for no bound                      default: null
//   $to        last year, or null for no bound                       default: null
//   $branch    only records of this technology branch, e.g. 'FPGA', or null for all   default: null
//   $counting  'whole' (the study's: a joint record counts 1) or 'fractional' (a joint record with
//              k countries counts 1/(k - 1) for each of its pairs)   default: 'whole'
// Returns: a, b, n_ab, n_a, n_b
//   One row per pair of the listed countries that have records in the range, a < b (codes);
//   n_a = a's international records in the range (the sum of its years: a record has one
//   year), n_ab = the records with both (0 when they share none).  Under 'fractional' n_ab is
//   the pair's fractional count (a float); n_a and n_b stay record counts under both.  Records
//   without a year are left out.  All branches read the per-year tallies and the country pair
//   edges the loader keeps; one branch is counted from its records.
WITH CASE WHEN $kind = 'paper' THEN 'author' ELSE $role END AS role
CALL {
  WITH role
  MATCH (t:CountryYear {kind: $kind})
  WHERE $branch IS NULL AND t.role = role AND t.code IN $codes
    AND ($from IS NULL OR t.year >= $from) AND ($to IS NULL OR t.year <= $to)
  WITH role, t.code AS code, toInteger(sum(t.intl)) AS intl
  WITH role, collect({code: code, intl: intl}) AS totals
  UNWIND totals AS x
  UNWIND totals AS y
  WITH role, x, y
  WHERE x.code < y.code
  WITH x, y,
       [(ca:Country {code: x.code})-[r:CO_AUTHORED|CO_INVENTED]->(cb:Country {code: y.code})
          WHERE ($from IS NULL OR r.year >= $from) AND ($to IS NULL OR r.year <= $to)
            AND coalesce(r.role, 'author') = role
            AND ((type(r) = 'CO_AUTHORED' AND $kind = 'paper') OR (type(r) = 'CO_INVENTED' AND $kind = 'patent'))
          | CASE WHEN $counting = 'fractional' THEN r.frac ELSE coalesce(r.papers, r.patents) END] AS pair
  RETURN x.code AS a, y.code AS b, reduce(total = 0, n IN pair | total + n) AS n_ab, x.intl AS n_a, y.intl AS n_b
  UNION ALL
  // One branch: every record of the branch with a listed country, domestic ones included, so a
  // country with records in the range has its rows as the tallies give them.
  WITH role
  MATCH (br:Branch {name: $branch})
  WITH role, br
  MATCH (br)<-[:IN_BRANCH]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  WITH p, CASE WHEN $kind = 'paper' THEN p.n_countries
               WHEN role = 'applicant' THEN p.n_applicant_countries
               ELSE p.n_inventor_countries END AS k,
       [(p)-[f:FROM_COUNTRY]->(c:Country) WHERE coalesce(f.role, 'author') = role AND c.code IN $codes | c.code] AS codes
  UNWIND codes AS a
  UNWIND codes AS b
  WITH a, b, k
  WHERE a <= b
  // a = b: a's international records; a < b: the pair's joint records, weighted by the counting.
  WITH a, b, sum(CASE WHEN k < 2 THEN 0
                      WHEN a = b OR $counting <> 'fractional' THEN 1
                      ELSE 1.0 / (k - 1) END) AS n
  WITH collect({a: a, b: b, n: n}) AS cells
  WITH cells, [c IN cells WHERE c.a = c.b] AS own
  UNWIND own AS x
  UNWIND own AS y
  WITH cells, x, y
  WHERE x.a < y.a
  RETURN x.a AS a, y.a AS b, reduce(total = 0, c IN [c IN cells WHERE c.a = x.a AND c.b = y.a] | total + c.n) AS n_ab,
         x.n AS n_a, y.n AS n_b
}
RETURN a, b, CASE WHEN $counting = 'fractional' THEN toFloat(n_ab) ELSE toInteger(n_ab) END AS n_ab,
       toInteger(n_a) AS n_a, toInteger(n_b) AS n_b
ORDER BY a, b
