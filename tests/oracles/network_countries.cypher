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
// Returns: source, target, weight, source_name, source_zh, source_country, target_name, target_zh, target_country
//   A row whose source equals its target is a node: weight = the country's records (domestic ones
//   included).  Every other row is a link between two of those countries, once per pair
//   (source < target): weight = the records with both.  Whole counting; source and target are codes.
MATCH (p)-[f:FROM_COUNTRY]->(c:Country)
WHERE (($kind = 'paper' AND p:Paper) OR ($kind = 'patent' AND p:Patent AND f.role = $role))
  AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
  AND ($countries IS NULL OR c.code IN $countries)
  AND ($branch IS NULL OR (p)-[:IN_BRANCH]->(:Branch {name: $branch}))
WITH c, collect(DISTINCT p) AS recs
ORDER BY size(recs) DESC, c.code
LIMIT $limit
// Each record lists the chosen countries on it; every pair on it (a country with itself
// included) counts the record once.
UNWIND recs AS p
WITH p, collect(c) AS units
UNWIND units AS u
UNWIND units AS v
WITH p, u, v
WHERE u.code <= v.code
WITH u, v, count(p) AS weight
WHERE u.code = v.code OR weight >= $min_weight
RETURN u.code AS source, v.code AS target, weight,
       u.name AS source_name, u.name_zh AS source_zh, u.code AS source_country,
       v.name AS target_name, v.name_zh AS target_zh, v.code AS target_country
ORDER BY weight DESC, source, target
