// Create or refresh Patent nodes. One invention = one node: rows of one family merge,
// and the invention's year is the earliest year any of its rows gives.
// A new invention starts uncounted: count_new adds it to the aggregates.
// $rows: [{uid, family_id, year, title, office, source, n_inventor_countries, n_applicant_countries}]
UNWIND $rows AS row
MERGE (p:Patent {uid: row.uid})
ON CREATE SET p.source = row.source, p.sources = [], p.offices = [], p.counted = false,
              p.n_inventor_countries = row.n_inventor_countries,
              p.n_applicant_countries = row.n_applicant_countries
SET p.family_id = coalesce(row.family_id, p.family_id),
    p.year = CASE WHEN p.year IS NULL OR (row.year IS NOT NULL AND row.year < p.year)
                  THEN row.year ELSE p.year END,
    p.title = coalesce(p.title, row.title),
    p.office = coalesce(p.office, row.office),
    p.offices = CASE WHEN row.office IS NULL OR row.office IN p.offices THEN p.offices
                     ELSE p.offices + row.office END,
    p.sources = CASE WHEN row.source IN p.sources THEN p.sources ELSE p.sources + row.source END
