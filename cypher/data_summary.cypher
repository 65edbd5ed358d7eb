// data_summary — what is loaded: records per kind, source and year.
//
// Parameters: none
// Returns: kind, source, year, records, demo
//   A record read from two sources (the same DOI in Web of Science and Scopus) counts under each.
//   year is null for records whose export gives none.  demo = how many of them are calibrated
//   demo records (generated, with DOIs under the unassigned prefix 10.99999).
// One scan per label (not of every node), counted first by the records' own values: their
// source lists repeat, so the lists are unwound once per distinct list and year, not per record.
CALL {
  MATCH (p:Paper)
  RETURN 'paper' AS kind, p.sources AS sources, p.source AS first, p.year AS year,
         p.doi STARTS WITH '10.99999/' AS is_demo, count(p) AS n
  UNION ALL
  MATCH (p:Patent)
  RETURN 'patent' AS kind, p.sources AS sources, p.source AS first, p.year AS year,
         p.doi STARTS WITH '10.99999/' AS is_demo, count(p) AS n
}
UNWIND coalesce(sources, [first]) AS source
// FalkorDB sums integers as floats: back to whole numbers.
RETURN kind, source, year, toInteger(sum(n)) AS records,
       toInteger(sum(CASE WHEN is_demo THEN n ELSE 0 END)) AS demo
ORDER BY kind, source, year
