// Technology branches a paper belongs to.
// $rows: [{uid, branch}]
UNWIND $rows AS row
MATCH (p:Paper {uid: row.uid})
MATCH (b:Branch {name: row.branch})
MERGE (p)-[:IN_BRANCH]->(b)
