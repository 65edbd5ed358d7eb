// Per country and year: all records and international records (N_i of the study), and hist:
// hist[k] = the international records with k countries, up to the largest k ([] when none),
// as loader/aggregates.py `histogram` builds it for new records.
// $years: [year]
MATCH (p:Paper)-[:FROM_COUNTRY]->(c:Country)
WHERE p.year IN $years
WITH c, p.year AS year, count(DISTINCT p) AS records,
     collect(DISTINCT CASE WHEN p.n_countries > 1 THEN p END) AS international
WITH c, year, records, size(international) AS intl, [x IN international | x.n_countries] AS ks
WITH c, year, records, intl, ks, reduce(top = 0, k IN ks | CASE WHEN k > top THEN k ELSE top END) AS top
CREATE (t:CountryYear {uid: 'paper|author|' + c.code + '|' + toString(year),
                       kind: 'paper', role: 'author', code: c.code, year: year,
                       records: records, intl: intl,
                       hist: CASE WHEN top = 0 THEN [] ELSE [i IN range(0, top) | size([k IN ks WHERE k = i])] END})
CREATE (c)-[:HAS_YEAR]->(t)
