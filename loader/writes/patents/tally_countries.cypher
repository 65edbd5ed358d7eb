// Per country, year and role: all inventions and international inventions (N_i of the study).
// $years: [year]
MATCH (p:Patent)-[f:FROM_COUNTRY]->(c:Country)
WHERE p.year IN $years
WITH c, p, f.role AS role,
     CASE f.role WHEN 'inventor' THEN p.n_inventor_countries ELSE p.n_applicant_countries END AS n
WITH c, role, p.year AS year, count(DISTINCT p) AS records,
     count(DISTINCT CASE WHEN n > 1 THEN p END) AS intl
CREATE (t:CountryYear {uid: 'patent|' + role + '|' + c.code + '|' + toString(year),
                       kind: 'patent', role: role, code: c.code, year: year,
                       records: records, intl: intl})
CREATE (c)-[:HAS_YEAR]->(t)
