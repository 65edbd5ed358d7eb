// Add institution-view increments (loader/aggregates.py UnitIncrements.params) to the unit tallies,
// pair counts, partner-country counts and unit links.  The loader sends these once per load (the
// years they touch are marked Dirty meanwhile, so a load that dies is recounted), and after
// recounting a year from its records.
// $unit_years: [{uid, unit, name, country, kind, rollup, year, slot, records, intl, records_frac, intl_frac}]
// $unit_pairs: [{uid, pair, year, unit_year, records, frac}]
// $unit_countries: [{unit_year, code, records, frac}]
// $unit_links: [{u, v, type, year, records, frac}]: one relationship type per kind and mode
//   (loader/aggregates.py link_type), so a view walks only its own links.  An institute's own
//   links (the _INSTITUTE types) go from the institute to its rolled-up partner.
CALL {
  UNWIND $unit_years AS t
  MERGE (y:UnitYear {uid: t.uid})
  ON CREATE SET y.unit = t.unit, y.name = t.name, y.country = t.country, y.kind = t.kind, y.rollup = t.rollup,
                y.year = t.year, y.slot = t.slot, y.records = 0, y.intl = 0, y.records_frac = 0.0, y.intl_frac = 0.0
  SET y.records = y.records + t.records, y.intl = y.intl + t.intl,
      y.records_frac = y.records_frac + t.records_frac, y.intl_frac = y.intl_frac + t.intl_frac
  WITH y, t
  MATCH (i:Institution {uid: t.unit})
  MERGE (i)-[:HAS_UNIT_YEAR]->(y)
}
CALL {
  UNWIND $unit_pairs AS t
  MERGE (py:PairYear {uid: t.uid})
  ON CREATE SET py.pair = t.pair, py.year = t.year
  WITH py, t
  MATCH (y:UnitYear {uid: t.unit_year})
  MERGE (py)-[h:HAS_UNIT]->(y)
  ON CREATE SET h.records = 0, h.frac = 0.0
  SET h.records = h.records + t.records, h.frac = h.frac + t.frac
}
CALL {
  UNWIND $unit_countries AS t
  MATCH (y:UnitYear {uid: t.unit_year})
  MATCH (c:Country {code: t.code})
  MERGE (y)-[w:WITH_COUNTRY]->(c)
  ON CREATE SET w.records = 0, w.frac = 0.0
  SET w.records = w.records + t.records, w.frac = w.frac + t.frac
}
CALL {
  UNWIND [t IN $unit_links WHERE t.type = 'SHARED_PAPERS'] AS t
  MATCH (u:Institution {uid: t.u})
  MATCH (v:Institution {uid: t.v})
  MERGE (u)-[r:SHARED_PAPERS {year: t.year}]->(v)
  ON CREATE SET r.records = 0, r.frac = 0.0
  SET r.records = r.records + t.records, r.frac = r.frac + t.frac
}
CALL {
  UNWIND [t IN $unit_links WHERE t.type = 'SHARED_PAPERS_ROLLED'] AS t
  MATCH (u:Institution {uid: t.u})
  MATCH (v:Institution {uid: t.v})
  MERGE (u)-[r:SHARED_PAPERS_ROLLED {year: t.year}]->(v)
  ON CREATE SET r.records = 0, r.frac = 0.0
  SET r.records = r.records + t.records, r.frac = r.frac + t.frac
}
CALL {
  UNWIND [t IN $unit_links WHERE t.type = 'SHARED_PATENTS'] AS t
  MATCH (u:Institution {uid: t.u})
  MATCH (v:Institution {uid: t.v})
  MERGE (u)-[r:SHARED_PATENTS {year: t.year}]->(v)
  ON CREATE SET r.records = 0, r.frac = 0.0
  SET r.records = r.records + t.records, r.frac = r.frac + t.frac
}
CALL {
  UNWIND [t IN $unit_links WHERE t.type = 'SHARED_PATENTS_ROLLED'] AS t
  MATCH (u:Institution {uid: t.u})
  MATCH (v:Institution {uid: t.v})
  MERGE (u)-[r:SHARED_PATENTS_ROLLED {year: t.year}]->(v)
  ON CREATE SET r.records = 0, r.frac = 0.0
  SET r.records = r.records + t.records, r.frac = r.frac + t.frac
}
CALL {
  UNWIND [t IN $unit_links WHERE t.type = 'SHARED_PAPERS_INSTITUTE'] AS t
  MATCH (u:Institution {uid: t.u})
  MATCH (v:Institution {uid: t.v})
  MERGE (u)-[r:SHARED_PAPERS_INSTITUTE {year: t.year}]->(v)
  ON CREATE SET r.records = 0, r.frac = 0.0
  SET r.records = r.records + t.records, r.frac = r.frac + t.frac
}
CALL {
  UNWIND [t IN $unit_links WHERE t.type = 'SHARED_PATENTS_INSTITUTE'] AS t
  MATCH (u:Institution {uid: t.u})
  MATCH (v:Institution {uid: t.v})
  MERGE (u)-[r:SHARED_PATENTS_INSTITUTE {year: t.year}]->(v)
  ON CREATE SET r.records = 0, r.frac = 0.0
  SET r.records = r.records + t.records, r.frac = r.frac + t.frac
}
RETURN size($unit_years) AS unit_years
