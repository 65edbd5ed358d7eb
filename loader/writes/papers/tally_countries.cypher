// Per country and year: all records and international records (N_i of the study).
// $years: [year]
MATCH (p:Paper)-[:FROM_COUNTRY]->(c:Country)
WHERE p.year IN $years
WITH c, p.year AS year, count(DISTINCT p) AS records,
     count(DISTINCT CASE WHEN p.n_countries > 1 THEN p END) AS intl
CREATE (t:CountryYear {uid: 'paper|author|' + c.code + '|' + toString(year),
                       kind: 'paper', role: 'author', code: c.code, year: year,
                       records: records, intl: intl})
CREATE (c)-[:HAS_YEAR]->(t)
