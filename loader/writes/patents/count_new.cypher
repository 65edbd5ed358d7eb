// Count patents (inventions) created in this batch into the aggregates, in one transaction:
// each patent is marked counted and its increments applied together, so a re-run (or a crash and a re-run)
// can never count a patent twice.  The increments are summed per key by the loader.
// The institution views' increments go separately (common/apply_units.cypher).
// $uids: [uid]                                   the batch's new patents
// $tallies: [{uid, kind, role, code, year, records, intl, hist}]
//   hist[k]: international records with k countries, merged index by index.  A tally
//   written before tallies kept one (hist null), or sent without one, stays without until its
//   year is recounted (closeness_records then counts the records rather than answer wrong).
// $pairs: [{a, b, year, role, n, frac, hist}]  country pairs per role, a < b; frac = sum of 1 / (k - 1), hist as above
UNWIND $uids AS uid
MATCH (p:Patent {uid: uid})
WHERE p.counted = false
SET p.counted = true
WITH count(p) AS marked
WHERE marked > 0
CALL {
  UNWIND $tallies AS t
  MERGE (y:CountryYear {uid: t.uid})
  ON CREATE SET y.kind = t.kind, y.role = t.role, y.code = t.code, y.year = t.year, y.records = 0, y.intl = 0, y.hist = []
  // (FalkorDB checks range()'s arguments even on a CASE branch not taken: no nulls reach it.)
  WITH y, t, coalesce(y.hist, []) AS kept, coalesce(t.hist, []) AS added
  SET y.records = y.records + t.records, y.intl = y.intl + t.intl,
      y.hist = CASE WHEN y.hist IS NULL OR t.hist IS NULL THEN null
           ELSE [k IN range(0, CASE WHEN size(kept) > size(added) THEN size(kept) ELSE size(added) END - 1)
                 | coalesce(kept[k], 0) + coalesce(added[k], 0)] END
  WITH y, t
  MATCH (c:Country {code: t.code})
  MERGE (c)-[:HAS_YEAR]->(y)
}
CALL {
  UNWIND $pairs AS pair
  MATCH (a:Country {code: pair.a})
  MATCH (b:Country {code: pair.b})
  MERGE (a)-[r:CO_INVENTED {year: pair.year, role: pair.role}]->(b)
  ON CREATE SET r.patents = 0, r.frac = 0.0, r.hist = []
  WITH r, pair, coalesce(r.hist, []) AS kept, coalesce(pair.hist, []) AS added
  SET r.patents = r.patents + pair.n, r.frac = r.frac + pair.frac,
      r.hist = CASE WHEN r.hist IS NULL OR pair.hist IS NULL THEN null
           ELSE [k IN range(0, CASE WHEN size(kept) > size(added) THEN size(kept) ELSE size(added) END - 1)
                 | coalesce(kept[k], 0) + coalesce(added[k], 0)] END
}
RETURN marked
