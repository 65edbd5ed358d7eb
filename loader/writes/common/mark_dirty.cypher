// Years whose aggregates must be recounted from the records, written down before a batch
// changes records that were counted already: a load that dies half-way leaves the marks, and
// the next load recounts those years.
// $kind: 'paper' | 'patent'
// $years: [year]
UNWIND $years AS year
MERGE (:Dirty {uid: $kind + '|' + toString(year), kind: $kind, year: year})
