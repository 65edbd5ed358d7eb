// How many countries each paper has (more than one makes it international); recounted
// papers are counted.
// $years: [year]
MATCH (p:Paper)
WHERE p.year IN $years
WITH p, size([(p)-[:FROM_COUNTRY]->(c:Country) | c]) AS n
SET p.n_countries = n, p.counted = true
