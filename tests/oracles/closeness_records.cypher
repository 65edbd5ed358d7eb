// Oracle for cypher/closeness_records.cypher: the query as it was before it read the kept
// tallies, counting every international record.  tests/test_closeness_records_tallies.py
// asks both the same questions.
//
// closeness_records — the international records of one year behind closeness, counted by type (for intervals and fractional counting).
//
// Parameters:
//   $a       country code (ISO 3166-1 alpha-2), e.g. 'CN'
//   $b       the other country's code, e.g. 'US'
//   $kind    'paper' or 'patent'                                  default: 'paper'
//   $role    patents: whose country counts, 'inventor' or 'applicant' (papers ignore it)   default: 'inventor'
//   $from    first year, or null for no bound                      default: null
//   $to      last year, or null for no bound                       default: null
//   $branch  only records of this technology branch (e.g. 'FPGA'), or null for all   default: null
// Returns: year, has_a, has_b, n_countries, records
//   Every international record (two or more countries) of a year falls in exactly one row: it
//   has a or not, b or not, and n_countries countries; records counts the records of the row.
//   Summed, the rows give closeness's columns (n_a = records with has_a, n_ab = with both) and
//   all international records of the year; records are exchangeable within a row, so
//   resampling the counts of the rows is resampling records.  Whole records, no weights.
WITH CASE WHEN $kind = 'paper' THEN 'author' ELSE $role END AS role
CALL {
  WITH role
  MATCH (p:Paper)
  WHERE $kind = 'paper' AND p.n_countries > 1 AND p.year IS NOT NULL
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  RETURN p.year AS year, p.n_countries AS k,
         [(p)-[:FROM_COUNTRY]->(c:Country) WHERE c.code IN [$a, $b] | c.code] AS codes
  UNION ALL
  WITH role
  MATCH (p:Patent)
  WHERE $kind = 'patent' AND p.year IS NOT NULL
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  WITH p, role,
       CASE WHEN role = 'applicant' THEN p.n_applicant_countries ELSE p.n_inventor_countries END AS k
  WHERE k > 1
  RETURN p.year AS year, k,
         [(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = role AND c.code IN [$a, $b] | c.code] AS codes
}
RETURN year, $a IN codes AS has_a, $b IN codes AS has_b, k AS n_countries, count(*) AS records
ORDER BY year, has_a, has_b, n_countries
