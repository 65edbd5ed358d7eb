// Count patents (inventions) created in this batch into the aggregates, in one transaction:
// each patent is marked counted and its increments applied together, so a re-run (or a crash and a re-run)
// can never count a patent twice.  The increments are summed per key by the loader.
// The institution views' increments go separately (common/apply_units.cypher).
// $uids: [uid]                                   the batch's new patents
// $tallies: [{uid, kind, role, code, year, records, intl}]
// $pairs: [{a, b, year, role, n, frac}]        country pairs per role, a < b; frac = sum of 1 / (k - 1)
UNWIND $uids AS uid
MATCH (p:Patent {uid: uid})
WHERE p.counted = false
SET p.counted = true
WITH count(p) AS marked
WHERE marked > 0
CALL {
  UNWIND $tallies AS t
  MERGE (y:CountryYear {uid: t.uid})
  ON CREATE SET y.kind = t.kind, y.role = t.role, y.code = t.code, y.year = t.year, y.records = 0, y.intl = 0
  SET y.records = y.records + t.records, y.intl = y.intl + t.intl
  WITH y, t
  MATCH (c:Country {code: t.code})
  MERGE (c)-[:HAS_YEAR]->(y)
}
CALL {
  UNWIND $pairs AS pair
  MATCH (a:Country {code: pair.a})
  MATCH (b:Country {code: pair.b})
  MERGE (a)-[r:CO_INVENTED {year: pair.year, role: pair.role}]->(b)
  ON CREATE SET r.patents = pair.n, r.frac = pair.frac
  ON MATCH SET r.patents = r.patents + pair.n, r.frac = r.frac + pair.frac
}
RETURN marked
