// loaded_years — the years that have records of each kind, for the explorer's year choices.
//
// Parameters: none
// Returns: kind, year
//   Read from the country tallies the loader keeps (CountryYear: thousands of rows, where
//   data_summary reads every record), so a year is listed when some record of it names a
//   country: a record with no address counts in no view.  data_summary lists every record.
MATCH (c:CountryYear)
WHERE c.records > 0
RETURN DISTINCT c.kind AS kind, c.year AS year
ORDER BY kind, year
