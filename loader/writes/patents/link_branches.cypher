// Technology branches a patent belongs to.
// $rows: [{uid, branch}]
UNWIND $rows AS row
MATCH (p:Patent {uid: row.uid})
MATCH (b:Branch {name: row.branch})
MERGE (p)-[:IN_BRANCH]->(b)
