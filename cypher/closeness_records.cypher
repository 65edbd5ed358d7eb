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
//   All branches read the histograms the tallies keep (docs/model.md, "Country tallies"); one
//   branch, or a graph whose tallies were written before they kept histograms, is counted
//   from its records.
WITH CASE WHEN $kind = 'paper' THEN 'author' ELSE $role END AS role
// A tally written before tallies kept histograms (hist null) cannot answer: then count records.
OPTIONAL MATCH (old:CountryYear {kind: $kind})
WHERE old.role = role AND old.intl > 0 AND old.hist IS NULL
  AND ($from IS NULL OR old.year >= $from) AND ($to IS NULL OR old.year <= $to)
WITH role, count(old) AS without_hist
WITH role, $branch IS NULL AND without_hist = 0 AS tallied
CALL {
  WITH role, tallied
  MATCH (t:CountryYear {kind: $kind})
  WHERE tallied AND t.role = role AND t.intl > 0
    AND ($from IS NULL OR t.year >= $from) AND ($to IS NULL OR t.year <= $to)
  // Per year and k: h_a, h_b = the records of a, of b with k countries; a record with k
  // countries is in k tallies, so the year's records with k countries are the sum over all / k.
  UNWIND range(2, size(t.hist) - 1) AS k
  WITH role, t.year AS year, k, toInteger(sum(t.hist[k])) AS in_tallies,
       toInteger(sum(CASE WHEN t.code = $a THEN t.hist[k] ELSE 0 END)) AS h_a,
       toInteger(sum(CASE WHEN t.code = $b THEN t.hist[k] ELSE 0 END)) AS h_b
  WHERE in_tallies > 0
  WITH role, collect({year: year, k: k, total: in_tallies / k, h_a: h_a, h_b: h_b}) AS totals
  // Every year's pair edge in one read, matched to the years below.
  OPTIONAL MATCH (ca:Country {code: CASE WHEN $a < $b THEN $a ELSE $b END})
                 -[r:CO_AUTHORED|CO_INVENTED]->(cb:Country {code: CASE WHEN $a < $b THEN $b ELSE $a END})
  WHERE coalesce(r.role, 'author') = role
    AND ((type(r) = 'CO_AUTHORED' AND $kind = 'paper') OR (type(r) = 'CO_INVENTED' AND $kind = 'patent'))
  WITH totals, collect({year: r.year, hist: r.hist}) AS pairs
  UNWIND totals AS c
  WITH c, CASE WHEN $a = $b THEN c.h_a
               ELSE reduce(n = 0, x IN [x IN pairs WHERE x.year = c.year] | n + coalesce(x.hist[c.k], 0)) END AS ab
  // Inclusion-exclusion: both, a only, b only, neither.
  UNWIND [{has_a: false, has_b: false, n: c.total - c.h_a - c.h_b + ab}, {has_a: false, has_b: true, n: c.h_b - ab},
          {has_a: true, has_b: false, n: c.h_a - ab}, {has_a: true, has_b: true, n: ab}] AS cell
  WITH c, cell
  WHERE cell.n > 0
  RETURN c.year AS year, cell.has_a AS has_a, cell.has_b AS has_b, c.k AS n_countries, cell.n AS records
  UNION ALL
  WITH role, tallied
  WITH role WHERE NOT tallied AND $kind = 'paper'
  MATCH (p:Paper)
  WHERE p.n_countries > 1 AND p.year IS NOT NULL
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  WITH p.year AS year, p.n_countries AS k,
       [(p)-[:FROM_COUNTRY]->(c:Country) WHERE c.code IN [$a, $b] | c.code] AS codes
  RETURN year, $a IN codes AS has_a, $b IN codes AS has_b, k AS n_countries, count(*) AS records
  UNION ALL
  WITH role, tallied
  WITH role WHERE NOT tallied AND $kind = 'patent'
  MATCH (p:Patent)
  WHERE p.year IS NOT NULL
    AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
  WITH p, role,
       CASE WHEN role = 'applicant' THEN p.n_applicant_countries ELSE p.n_inventor_countries END AS k
  WHERE k > 1
  WITH p.year AS year, k,
       [(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = role AND c.code IN [$a, $b] | c.code] AS codes
  RETURN year, $a IN codes AS has_a, $b IN codes AS has_b, k AS n_countries, count(*) AS records
}
RETURN year, has_a, has_b, n_countries, records
ORDER BY year, has_a, has_b, n_countries
