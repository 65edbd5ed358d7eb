// Inventors' and applicants' countries; `role` tells which.
// $rows: [{uid, code, role}]
UNWIND $rows AS row
MATCH (p:Patent {uid: row.uid})
MATCH (c:Country {code: row.code})
MERGE (p)-[:FROM_COUNTRY {role: row.role}]->(c)
