// Drop the patent aggregates of the years a load touched; they are rebuilt right after.
// $years: [year]
MATCH (t:CountryYear {kind: 'patent'})
WHERE t.year IN $years
DETACH DELETE t
