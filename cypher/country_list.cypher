// country_list — the countries that have records of a kind, most records first.
//
// Parameters:
//   $kind  'paper' or 'patent'                                        default: 'paper'
// Returns: code, name, name_zh, records
//   records = the country's records with a year (patents: by their inventors' countries), read
//   from the per-year tallies: network_countries' nodes over every year, without its links.
MATCH (t:CountryYear {kind: $kind})
WHERE t.role = CASE WHEN $kind = 'paper' THEN 'author' ELSE 'inventor' END
WITH t.code AS code, toInteger(sum(t.records)) AS records
MATCH (c:Country {code: code})
RETURN code, c.name AS name, c.name_zh AS name_zh, records
ORDER BY records DESC, code
