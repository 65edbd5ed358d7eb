// Remove the marks of years that have been recounted, or that a batch left unchanged.
// $kind: 'paper' | 'patent'
// $years: [year]
MATCH (d:Dirty {kind: $kind})
WHERE d.year IN $years
DELETE d
