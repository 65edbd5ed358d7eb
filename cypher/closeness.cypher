// closeness — how close two countries are, year by year (the study's Salton index).
//
// Parameters:
//   $a       country code (ISO 3166-1 alpha-2), e.g. 'CN'
//   $b       the other country's code, e.g. 'US'
//   $kind    'paper' or 'patent'                                  default: 'paper'
//   $role    patents: whose country counts, 'inventor' or 'applicant' (papers ignore it)   default: 'inventor'
//   $from    first year, or null for no bound                      default: null
//   $to      last year, or null for no bound                       default: null
//   $branch  only records of this technology branch (e.g. 'FPGA'), or null for all   default: null
// Returns: year, n_ab, n_a, n_b, closeness, share_a, share_b
//   n_a  = records of a with at least one other country (a's international records), likewise n_b;
//   n_ab = records with both a and b; closeness = n_ab / sqrt(n_a * n_b); share_a = n_ab / n_a.
//   One row per year with any international record of a or b.  Whole counting.
//   All branches read the per-year tallies the loader keeps; one branch is counted from its records.
WITH CASE WHEN $kind = 'paper' THEN 'author' ELSE $role END AS role
CALL {
  WITH role
  MATCH (t:CountryYear {kind: $kind})
  WHERE $branch IS NULL AND t.role = role AND t.code IN [$a, $b] AND t.intl > 0
    AND ($from IS NULL OR t.year >= $from) AND ($to IS NULL OR t.year <= $to)
  WITH role, t.year AS year,
       sum(CASE WHEN t.code = $a THEN t.intl ELSE 0 END) AS n_a,
       sum(CASE WHEN t.code = $b THEN t.intl ELSE 0 END) AS n_b
  WITH role, collect({year: year, n_a: n_a, n_b: n_b}) AS tallies
  // Every year's pair edge in one read, matched to the years below.
  OPTIONAL MATCH (ca:Country {code: CASE WHEN $a < $b THEN $a ELSE $b END})
                 -[r:CO_AUTHORED|CO_INVENTED]->(cb:Country {code: CASE WHEN $a < $b THEN $b ELSE $a END})
  WHERE coalesce(r.role, 'author') = role
    AND ((type(r) = 'CO_AUTHORED' AND $kind = 'paper') OR (type(r) = 'CO_INVENTED' AND $kind = 'patent'))
  WITH tallies, collect({year: r.year, n: coalesce(r.papers, r.patents)}) AS pairs
  UNWIND tallies AS t
  RETURN t.year AS year, t.n_a AS n_a, t.n_b AS n_b,
         reduce(total = 0, x IN [x IN pairs WHERE x.year = t.year] | total + x.n) AS n_ab
  UNION ALL
  WITH role
  MATCH (br:Branch {name: $branch})
  WITH role, br
  MATCH (br)<-[:IN_BRANCH]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND CASE WHEN $kind = 'paper' THEN p.n_countries
             WHEN role = 'applicant' THEN p.n_applicant_countries
             ELSE p.n_inventor_countries END > 1
  WITH p, [(p)-[f:FROM_COUNTRY]->(c:Country)
           WHERE coalesce(f.role, 'author') = role AND c.code IN [$a, $b] | c.code] AS codes
  WHERE size(codes) > 0
  WITH p.year AS year, sum(CASE WHEN $a IN codes THEN 1 ELSE 0 END) AS n_a,
       sum(CASE WHEN $b IN codes THEN 1 ELSE 0 END) AS n_b,
       sum(CASE WHEN size(codes) = 2 THEN 1 ELSE 0 END) AS n_ab
  RETURN year, n_a, n_b, n_ab
}
WITH year, toInteger(n_a) AS n_a, toInteger(n_b) AS n_b, toInteger(n_ab) AS n_ab
RETURN year, n_ab, n_a, n_b,
       CASE WHEN n_a = 0 OR n_b = 0 THEN null ELSE toFloat(n_ab) / sqrt(toFloat(n_a) * n_b) END AS closeness,
       CASE WHEN n_a = 0 THEN null ELSE toFloat(n_ab) / n_a END AS share_a,
       CASE WHEN n_b = 0 THEN null ELSE toFloat(n_ab) / n_b END AS share_b
ORDER BY year
