// Co-invention between countries per year and role, stored once per pair: a.code < b.code.
// $years: [year]
MATCH (a:Country)<-[fa:FROM_COUNTRY]-(p:Patent)-[fb:FROM_COUNTRY]->(b:Country)
WHERE p.year IN $years AND fa.role = fb.role AND a.code < b.code
WITH a, b, fa.role AS role, p.year AS year, count(DISTINCT p) AS n
CREATE (a)-[:CO_INVENTED {year: year, role: role, patents: n}]->(b)
