// Authors' institutions.
// $rows: [{uid, inst}]
UNWIND $rows AS row
MATCH (p:Paper {uid: row.uid})
MATCH (i:Institution {uid: row.inst})
MERGE (p)-[:AFFILIATED_WITH]->(i)
