// Co-authorship between countries per year (N_ij), stored once per pair: a.code < b.code.
// $years: [year]
MATCH (a:Country)<-[:FROM_COUNTRY]-(p:Paper)-[:FROM_COUNTRY]->(b:Country)
WHERE p.year IN $years AND a.code < b.code
WITH a, b, p.year AS year, count(DISTINCT p) AS n
CREATE (a)-[:CO_AUTHORED {year: year, papers: n}]->(b)
