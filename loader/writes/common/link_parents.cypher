// Roll-up links: an institute or campus is PART_OF its parent (CAS, a university system, DOE).
// $rows: [{uid, parent_uid}]
UNWIND $rows AS row
MATCH (child:Institution {uid: row.uid})
MATCH (parent:Institution {uid: row.parent_uid})
MERGE (child)-[:PART_OF]->(parent)
