// Co-invention between institutions (applicants and inventors' institutions) per year.
// $years: [year]
MATCH (i:Institution)<-[:ASSIGNED_TO|INVENTED_AT]-(p:Patent)-[:ASSIGNED_TO|INVENTED_AT]->(j:Institution)
WHERE p.year IN $years AND i.uid < j.uid
WITH i, j, p.year AS year, count(DISTINCT p) AS n
CREATE (i)-[:CO_INVENTED {year: year, patents: n}]->(j)
