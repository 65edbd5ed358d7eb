// Per country, year and role: all inventions and international inventions (N_i of the study),
// and hist: hist[k] = the international inventions with k countries in that role, up to the
// largest k ([] when none), as loader/aggregates.py `histogram` builds it for new records.
// $years: [year]
MATCH (p:Patent)-[f:FROM_COUNTRY]->(c:Country)
WHERE p.year IN $years
WITH c, p, f.role AS role,
     CASE f.role WHEN 'inventor' THEN p.n_inventor_countries ELSE p.n_applicant_countries END AS n
WITH c, role, p.year AS year, count(DISTINCT p) AS records,
     collect(DISTINCT CASE WHEN n > 1 THEN p END) AS international
WITH c, role, year, records, size(international) AS intl,
     [x IN international | CASE role WHEN 'inventor' THEN x.n_inventor_countries ELSE x.n_applicant_countries END] AS ks
WITH c, role, year, records, intl, ks, reduce(top = 0, k IN ks | CASE WHEN k > top THEN k ELSE top END) AS top
CREATE (t:CountryYear {uid: 'patent|' + role + '|' + c.code + '|' + toString(year),
                       kind: 'patent', role: role, code: c.code, year: year,
                       records: records, intl: intl,
                       hist: CASE WHEN top = 0 THEN [] ELSE [i IN range(0, top) | size([k IN ks WHERE k = i])] END})
CREATE (c)-[:HAS_YEAR]->(t)
