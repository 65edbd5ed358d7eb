// Co-authorship between institutions per year, stored once per pair: i.uid < j.uid.
// $years: [year]
MATCH (i:Institution)<-[:AFFILIATED_WITH]-(p:Paper)-[:AFFILIATED_WITH]->(j:Institution)
WHERE p.year IN $years AND i.uid < j.uid
WITH i, j, p.year AS year, count(DISTINCT p) AS n
CREATE (i)-[:CO_AUTHORED {year: year, papers: n}]->(j)
