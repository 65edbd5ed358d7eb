// Create or refresh Country nodes.
// $rows: [{code, name, name_zh}]
UNWIND $rows AS row
MERGE (c:Country {code: row.code})
SET c.name = row.name, c.name_zh = row.name_zh
