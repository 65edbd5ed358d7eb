// country_matrix — for every pair among chosen countries, their joint records and each one's international records over a year range.
//
// Parameters:
//   $codes   the countries, e.g. ['CN', 'US', 'GB', 'JP', 'DE']
//   $kind    'paper' or 'patent'                                  default: 'paper'
//   $role    patents: whose country counts, 'inventor' or 'applicant' (papers ignore it)   default: 'inventor'
//   $from    first year, or null for no bound                      default: null
//   $to      last year, or null for no bound                       default: null
// Returns: a, b, n_ab, n_a, n_b
//   One row per pair of the listed countries that have records in the range, a < b (codes);
//   n_a = a's international records in the range (the sum of its years: a record has one
//   year), n_ab = the records with both (0 when they share none).  Whole counting, all
//   branches: read from the per-year tallies and the country pair edges the loader keeps.
WITH CASE WHEN $kind = 'paper' THEN 'author' ELSE $role END AS role
MATCH (t:CountryYear {kind: $kind})
WHERE t.role = role AND t.code IN $codes
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
        | coalesce(r.papers, r.patents)] AS pair
RETURN x.code AS a, y.code AS b, reduce(total = 0, n IN pair | total + n) AS n_ab,
       x.intl AS n_a, y.intl AS n_b
ORDER BY a, b
