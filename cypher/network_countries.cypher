// network_countries — the country collaboration network: the countries with most records and the records they share.
//
// Parameters:
//   $kind        'paper' or 'patent'                                  default: 'paper'
//   $role        patents: whose country counts, 'inventor' or 'applicant' (papers ignore it)   default: 'inventor'
//   $from        first year, or null for no bound                      default: null
//   $to          last year, or null for no bound                       default: null
//   $branch      only records of this technology branch, e.g. 'FPGA', or null for all   default: null
//   $countries   only these countries, e.g. ['CN', 'US', 'JP'], or null for all   default: null
//   $limit       nodes: the countries with most records                 default: 100
//   $min_weight  links: at least this many shared records               default: 1
//   $counting    'whole' (a record counts 1 for each country and pair on it) or 'fractional' (a record
//                with k countries gives each 1/k and each pair of them 1/(k - 1))   default: 'whole'
// Returns: source, target, weight, source_name, source_zh, source_country, target_name, target_zh, target_country
//   A row whose source equals its target is a node: weight = the country's records (domestic ones
//   included; a domestic record weighs 1 under both countings).  Every other row is a link between
//   two of those countries, once per pair (source < target): weight = the records with both.
//   Nodes are ranked by their weight under the counting.  Records without a year are left out.
//   All branches: nodes read the per-year tallies (whole) or count the records (fractional: no
//   fractional tally is kept per country), links read the country pair edges; one branch is
//   counted from its records.  Source and target are codes.
WITH CASE WHEN $kind = 'paper' THEN 'author' ELSE $role END AS role
CALL {
  WITH role
  MATCH (t:CountryYear {kind: $kind})
  WHERE $branch IS NULL AND $counting <> 'fractional' AND t.role = role
    AND ($from IS NULL OR t.year >= $from) AND ($to IS NULL OR t.year <= $to)
    AND ($countries IS NULL OR t.code IN $countries)
  RETURN t.code AS code, t.records AS w
  UNION ALL
  // Fractional, all branches: every record, once per country of the role on it.  The UNWIND
  // runs the MATCH only when asked (a WHERE on the imported row would not stop the scan).
  WITH role
  UNWIND CASE WHEN $branch IS NULL AND $counting = 'fractional' AND $kind = 'paper' THEN [role] ELSE [] END AS r
  MATCH (p:Paper)-[:FROM_COUNTRY]->(c:Country)
  WHERE p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($countries IS NULL OR c.code IN $countries)
  RETURN c.code AS code, 1.0 / p.n_countries AS w
  UNION ALL
  WITH role
  UNWIND CASE WHEN $branch IS NULL AND $counting = 'fractional' AND $kind = 'patent' THEN [role] ELSE [] END AS r
  MATCH (p:Patent)-[f:FROM_COUNTRY]->(c:Country)
  WHERE f.role = r AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($countries IS NULL OR c.code IN $countries)
  RETURN c.code AS code, 1.0 / CASE WHEN r = 'applicant' THEN p.n_applicant_countries ELSE p.n_inventor_countries END AS w
  UNION ALL
  WITH role
  MATCH (br:Branch {name: $branch})
  WITH role, br
  MATCH (br)<-[:IN_BRANCH]-(p)-[f:FROM_COUNTRY]->(c:Country)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND coalesce(f.role, 'author') = role
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND ($countries IS NULL OR c.code IN $countries)
  RETURN c.code AS code,
         CASE WHEN $counting <> 'fractional' THEN 1
              ELSE 1.0 / CASE WHEN $kind = 'paper' THEN p.n_countries
                              WHEN role = 'applicant' THEN p.n_applicant_countries
                              ELSE p.n_inventor_countries END END AS w
}
WITH role, code, sum(w) AS weight
ORDER BY weight DESC, code
LIMIT $limit
WITH role, collect(code) AS top, collect({code: code, weight: weight}) AS nodes
CALL {
  WITH role, top
  UNWIND CASE WHEN $branch IS NULL THEN top ELSE [] END AS a
  MATCH (ca:Country {code: a})-[r:CO_AUTHORED|CO_INVENTED]->(cb:Country)
  WHERE cb.code IN top AND coalesce(r.role, 'author') = role
    AND ((type(r) = 'CO_AUTHORED' AND $kind = 'paper') OR (type(r) = 'CO_INVENTED' AND $kind = 'patent'))
    AND ($from IS NULL OR r.year >= $from) AND ($to IS NULL OR r.year <= $to)
  RETURN a AS source, cb.code AS target,
         sum(CASE WHEN $counting = 'fractional' THEN r.frac ELSE coalesce(r.papers, r.patents) END) AS weight
  UNION ALL
  // One branch: each record's pairs of the chosen countries.
  WITH role, top
  MATCH (br:Branch {name: $branch})
  WITH role, top, br
  MATCH (br)<-[:IN_BRANCH]-(p)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  WITH p, CASE WHEN $kind = 'paper' THEN p.n_countries
               WHEN role = 'applicant' THEN p.n_applicant_countries
               ELSE p.n_inventor_countries END AS k,
       [(p)-[f:FROM_COUNTRY]->(c:Country) WHERE coalesce(f.role, 'author') = role AND c.code IN top | c.code] AS codes
  WHERE size(codes) > 1
  UNWIND codes AS s
  UNWIND codes AS t
  WITH s, t, k
  WHERE s < t
  RETURN s AS source, t AS target, sum(CASE WHEN $counting = 'fractional' THEN 1.0 / (k - 1) ELSE 1 END) AS weight
  UNION ALL
  // A row even when no two of the nodes share a record, so the nodes are still returned.
  WITH role, top
  RETURN null AS source, null AS target, 0 AS weight
}
WITH nodes, collect(CASE WHEN source IS NULL THEN null ELSE {source: source, target: target, weight: weight} END) AS links
UNWIND [n IN nodes | {source: n.code, target: n.code, weight: n.weight}] +
       [l IN links WHERE l.weight >= $min_weight] AS row
WITH row.source AS source, row.target AS target,
     CASE WHEN $counting = 'fractional' THEN toFloat(row.weight) ELSE toInteger(row.weight) END AS weight
MATCH (u:Country {code: source})
MATCH (v:Country {code: target})
RETURN source, target, weight,
       u.name AS source_name, u.name_zh AS source_zh, u.code AS source_country,
       v.name AS target_name, v.name_zh AS target_zh, v.code AS target_country
ORDER BY weight DESC, source, target
