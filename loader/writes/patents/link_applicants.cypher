// Applicants (assignees).
// $rows: [{uid, inst}]
UNWIND $rows AS row
MATCH (p:Patent {uid: row.uid})
MATCH (i:Institution {uid: row.inst})
MERGE (p)-[:ASSIGNED_TO]->(i)
