// Co-invention between countries per year and role, stored once per pair: a.code < b.code.
// frac is the pair's fractional count: a patent with k countries (in that role) adds 1 / (k - 1).
// hist[k] = the pair's patents with k countries in that role (as in tally_countries).
// $years: [year]
MATCH (a:Country)<-[fa:FROM_COUNTRY]-(p:Patent)-[fb:FROM_COUNTRY]->(b:Country)
WHERE p.year IN $years AND fa.role = fb.role AND a.code < b.code
WITH a, b, fa.role AS role, p.year AS year, p,
     CASE WHEN fa.role = 'applicant' THEN p.n_applicant_countries ELSE p.n_inventor_countries END AS k
WITH a, b, role, year, count(p) AS n, sum(1.0 / (k - 1)) AS frac, collect(k) AS ks
WITH a, b, role, year, n, frac, ks, reduce(top = 0, k IN ks | CASE WHEN k > top THEN k ELSE top END) AS top
CREATE (a)-[:CO_INVENTED {year: year, role: role, patents: n, frac: frac,
                          hist: [i IN range(0, top) | size([k IN ks WHERE k = i])]}]->(b)
