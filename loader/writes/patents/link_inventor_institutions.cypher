// Institutions the inventors work at, where the export names them.
// $rows: [{uid, inst}]
UNWIND $rows AS row
MATCH (p:Patent {uid: row.uid})
MATCH (i:Institution {uid: row.inst})
MERGE (p)-[:INVENTED_AT]->(i)
