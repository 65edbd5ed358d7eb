// Create or refresh Paper nodes; `sources` remembers every source a paper was read from.
// $rows: [{uid, year, title, doi, doc_type, source}]
UNWIND $rows AS row
MERGE (p:Paper {uid: row.uid})
ON CREATE SET p.source = row.source, p.sources = []
SET p.year = row.year,
    p.title = row.title,
    p.doi = coalesce(row.doi, p.doi),
    p.doc_type = row.doc_type,
    p.sources = CASE WHEN row.source IN p.sources THEN p.sources ELSE p.sources + row.source END
