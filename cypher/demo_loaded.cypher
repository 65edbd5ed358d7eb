// demo_loaded — whether calibrated demo records are loaded (generated, with DOIs under the
// unassigned prefix 10.99999), so the explorer can say so on every page.
//
// Parameters: none
// Returns: demo
//   Stops at the first demo record it meets; data_summary counts them all.
CALL {
  MATCH (p:Paper)
  WHERE p.doi STARTS WITH '10.99999/'
  RETURN p.uid AS uid
  LIMIT 1
  UNION ALL
  MATCH (p:Patent)
  WHERE p.doi STARTS WITH '10.99999/'
  RETURN p.uid AS uid
  LIMIT 1
}
RETURN count(uid) > 0 AS demo
