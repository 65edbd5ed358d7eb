// The papers of some years as the unit aggregates need them: their institutions (with each one's
// parent, for the roll-up) and their countries.
// $years: [year]
MATCH (p:Paper)-[:AFFILIATED_WITH]->(i:Institution)
WHERE p.year IN $years
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH p, collect({uid: i.uid, parent: parent.uid}) AS institutions
RETURN p.year AS year, institutions,
       [(p)-[:FROM_COUNTRY]->(c:Country) | c.code] AS countries
