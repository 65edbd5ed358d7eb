// The paper's country set.
// $rows: [{uid, code}]
UNWIND $rows AS row
MATCH (p:Paper {uid: row.uid})
MATCH (c:Country {code: row.code})
MERGE (p)-[:FROM_COUNTRY]->(c)
