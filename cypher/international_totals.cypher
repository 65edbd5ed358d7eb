// international_totals — all records and all international records per year: N, the denominator of association strength.
//
// Parameters:
//   $kind    'paper' or 'patent'                                  default: 'paper'
//   $role    patents: whose country counts, 'inventor' or 'applicant' (papers ignore it)   default: 'inventor'
//   $from    first year, or null for no bound                      default: null
//   $to      last year, or null for no bound                       default: null
//   $branch  only records of this technology branch (e.g. 'FPGA'), or null for all   default: null
// Returns: year, records, intl
//   records = the year's records of the kind, each once; intl = those with two or more countries
//   (for patents: the role's countries).  Records without a year belong to no row.
CALL {
  MATCH (p:Paper)
  WHERE $kind = 'paper' AND p.year IS NOT NULL
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  RETURN p.year AS year, coalesce(p.n_countries, 0) AS k
  UNION ALL
  MATCH (p:Patent)
  WHERE $kind = 'patent' AND p.year IS NOT NULL
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  RETURN p.year AS year,
         coalesce(CASE WHEN $role = 'applicant' THEN p.n_applicant_countries ELSE p.n_inventor_countries END, 0) AS k
}
RETURN year, count(*) AS records, count(CASE WHEN k > 1 THEN 1 END) AS intl
ORDER BY year
