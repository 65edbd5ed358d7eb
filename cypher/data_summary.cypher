// data_summary — what is loaded: records per kind, source and year.
//
// Parameters: none
// Returns: kind, source, year, records, demo
//   A record read from two sources (the same DOI in Web of Science and Scopus) counts under each.
//   year is null for records whose export gives none.  demo = how many of them are calibrated
//   demo records (generated, with DOIs under the unassigned prefix 10.99999).
MATCH (p)
WHERE p:Paper OR p:Patent
WITH p, CASE WHEN p:Paper THEN 'paper' ELSE 'patent' END AS kind
UNWIND coalesce(p.sources, [p.source]) AS source
RETURN kind, source, p.year AS year, count(p) AS records,
       count(CASE WHEN p.doi STARTS WITH '10.99999/' THEN p END) AS demo
ORDER BY kind, source, year
