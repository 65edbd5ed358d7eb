// The patents of some years as the unit aggregates need them: their applicants' and inventors'
// institutions (with each one's parent, for the roll-up) and their inventors' countries.
// $years: [year]
MATCH (p:Patent)-[:ASSIGNED_TO|INVENTED_AT]->(i:Institution)
WHERE p.year IN $years
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH p, collect({uid: i.uid, parent: parent.uid}) AS institutions
RETURN p.year AS year, institutions,
       [(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = 'inventor' | c.code] AS countries
