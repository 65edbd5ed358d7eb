// Drop the paper aggregates of the years a load touched; they are rebuilt right after.
// $years: [year]
MATCH (t:CountryYear {kind: 'paper'})
WHERE t.year IN $years
DETACH DELETE t
