// data_fingerprint — the loaded papers or patents by uid, in order, a page at a time: hashed, they identify the data behind a figure.
//
// Parameters:
//   $kind    'paper' or 'patent'                                  default: 'paper'
//   $after   the last uid of the previous page ('' for the first page)   default: ''
//   $limit   rows per page                                        default: 50000
// Returns: uid, year
//   Ordered by uid, so the same data always gives the same rows (and the same hash) whatever
//   order it was loaded in.  Read page after page (the next $after = this page's last uid)
//   until a page comes back shorter than $limit: no single result has to hold every record.
CALL {
  MATCH (p:Paper)
  WHERE $kind = 'paper' AND p.uid > $after
  RETURN p.uid AS uid, p.year AS year
  UNION ALL
  MATCH (p:Patent)
  WHERE $kind = 'patent' AND p.uid > $after
  RETURN p.uid AS uid, p.year AS year
}
RETURN uid, year
ORDER BY uid
LIMIT $limit
