// closeness — how close two countries are, year by year (the study's Salton index).
//
// Parameters:
//   $a      country code (ISO 3166-1 alpha-2), e.g. 'CN'
//   $b      the other country's code, e.g. 'US'
//   $kind   'paper' or 'patent'                                  default: 'paper'
//   $role   patents: whose country counts, 'inventor' or 'applicant' (papers ignore it)   default: 'inventor'
//   $from   first year, or null for no bound                      default: null
//   $to     last year, or null for no bound                       default: null
// Returns: year, n_ab, n_a, n_b, closeness, share_a, share_b
//   n_a  = records of a with at least one other country (a's international records), likewise n_b;
//   n_ab = records with both a and b; closeness = n_ab / sqrt(n_a * n_b); share_a = n_ab / n_a.
//   One row per year with any international record of a or b.  Whole counting.
WITH CASE WHEN $kind = 'paper' THEN 'author' ELSE $role END AS role,
     CASE WHEN $kind = 'paper' THEN 'CO_AUTHORED' ELSE 'CO_INVENTED' END AS pair_type
MATCH (t:CountryYear {kind: $kind})
WHERE t.role = role AND t.code IN [$a, $b] AND t.intl > 0
  AND ($from IS NULL OR t.year >= $from)
  AND ($to IS NULL OR t.year <= $to)
WITH role, pair_type, t.year AS year,
     toInteger(sum(CASE WHEN t.code = $a THEN t.intl ELSE 0 END)) AS n_a,
     toInteger(sum(CASE WHEN t.code = $b THEN t.intl ELSE 0 END)) AS n_b
WITH year, n_a, n_b,
     [(ca:Country {code: $a})-[r:CO_AUTHORED|CO_INVENTED]-(cb:Country {code: $b})
        WHERE r.year = year AND type(r) = pair_type AND coalesce(r.role, 'author') = role
        | coalesce(r.papers, r.patents)] AS pair
WITH year, n_a, n_b, reduce(total = 0, n IN pair | total + n) AS n_ab
RETURN year, n_ab, n_a, n_b,
       CASE WHEN n_a = 0 OR n_b = 0 THEN null ELSE toFloat(n_ab) / sqrt(toFloat(n_a) * n_b) END AS closeness,
       CASE WHEN n_a = 0 THEN null ELSE toFloat(n_ab) / n_a END AS share_a,
       CASE WHEN n_b = 0 THEN null ELSE toFloat(n_ab) / n_b END AS share_b
ORDER BY year
