// Create or refresh Paper nodes; `sources` remembers every source a paper was read from.
// The paper's first source owns its fields: a reload from that source refreshes them, a
// second source (same DOI, or same title and year) only fills what is missing.
// A new paper starts uncounted: count_new adds it to the aggregates.
// $rows: [{uid, year, title, doi, doc_type, source, title_key, n_countries}]
UNWIND $rows AS row
MERGE (p:Paper {uid: row.uid})
ON CREATE SET p.source = row.source, p.sources = [], p.counted = false, p.n_countries = row.n_countries
WITH p, row, p.source = row.source AS owner
SET p.year = CASE WHEN owner OR p.year IS NULL THEN row.year ELSE p.year END,
    p.title = CASE WHEN owner OR p.title IS NULL THEN row.title ELSE p.title END,
    p.doc_type = CASE WHEN owner OR p.doc_type IS NULL THEN row.doc_type ELSE p.doc_type END,
    p.doi = coalesce(p.doi, row.doi),
    p.title_key = coalesce(p.title_key, row.title_key),
    p.sources = CASE WHEN row.source IN p.sources THEN p.sources ELSE p.sources + row.source END
