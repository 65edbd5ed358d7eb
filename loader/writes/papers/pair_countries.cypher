// Co-authorship between countries per year (N_ij), stored once per pair: a.code < b.code.
// frac is the pair's fractional count: a paper with k countries adds 1 / (k - 1).
// hist[k] = the pair's papers with k countries (as in tally_countries).
// $years: [year]
MATCH (a:Country)<-[:FROM_COUNTRY]-(p:Paper)-[:FROM_COUNTRY]->(b:Country)
WHERE p.year IN $years AND a.code < b.code
WITH a, b, p.year AS year, p
WITH a, b, year, count(p) AS n, sum(1.0 / (p.n_countries - 1)) AS frac, collect(p.n_countries) AS ks
WITH a, b, year, n, frac, ks, reduce(top = 0, k IN ks | CASE WHEN k > top THEN k ELSE top END) AS top
CREATE (a)-[:CO_AUTHORED {year: year, papers: n, frac: frac,
                          hist: [i IN range(0, top) | size([k IN ks WHERE k = i])]}]->(b)
