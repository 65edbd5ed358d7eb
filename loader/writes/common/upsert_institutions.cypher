// Create or refresh Institution nodes and their country; raw spellings accumulate, never drop.
// $rows: [{uid, name, country, name_zh, resolved, raw_names}]  (country '' = unknown)
UNWIND $rows AS row
MERGE (i:Institution {uid: row.uid})
ON CREATE SET i.name = row.name, i.country = row.country, i.raw_names = []
SET i.name_zh = coalesce(row.name_zh, i.name_zh),
    i.resolved = row.resolved,
    i.raw_names = i.raw_names + [raw IN row.raw_names WHERE NOT raw IN i.raw_names]
WITH i, row
MATCH (c:Country {code: row.country})
MERGE (i)-[:LOCATED_IN]->(c)
