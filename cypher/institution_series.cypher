// institution_series — one institution's a–b records, international records and share, year by year.
//
// Parameters:
//   $institution  the institution's name (English or Chinese), e.g. 'Tsinghua University'
//   $a            country code, e.g. 'CN'
//   $b            partner country code, e.g. 'US'
//   $kind         'paper' or 'patent'                                  default: 'paper'
//   $from         first year, or null for no bound                      default: null
//   $to           last year, or null for no bound                       default: null
//   $rollup       the institution includes its institutes and campuses  default: true
//   $branch       only records of this technology branch, or null for all   default: null
//   $counting     'whole' (a record counts 1) or 'fractional' (a record with m institutions credits
//                 the institution 1/m)                                  default: 'whole'
// Returns: year, n_ab, n_intl, share
//   n_intl = the institution's records with two or more countries; n_ab = those with both a and b;
//   share = n_ab / n_intl.  Counted as in institution_shares, so one year here equals its row there.
//   One row per year with an international record.  Under 'fractional' n_ab and n_intl are floats;
//   m counts the record's institutions as the roll-up counts them, the named institution (with its
//   institutes when rolled up) as one.  One institution, all branches: read from the per-unit
//   tallies the loader keeps (an institute's own, under roll-up); otherwise (a branch, a name several
//   institutions share, or an institute that has institutes itself) counted from the records.
OPTIONAL MATCH (named:Institution)
WHERE named.name = $institution OR named.name_zh = $institution
OPTIONAL MATCH (named)-[:PART_OF]->(up:Institution)
OPTIONAL MATCH (part:Institution)-[:PART_OF]->(named)
WITH collect(DISTINCT named) AS named, count(DISTINCT up) AS parents, count(DISTINCT part) AS parts
WITH named, parts, $rollup AND parents > 0 AS institute
WITH named, $branch IS NULL AND size(named) = 1 AND NOT (institute AND parts > 0) AS tallied,
     // The mode as the tallies spell it (loader/aggregates.py pair_key, series_slot).
     CASE WHEN institute THEN 'institute' ELSE toString($rollup) END AS mode,
     CASE WHEN institute THEN CASE WHEN $kind = 'paper' THEN 5 ELSE 6 END
          ELSE (CASE WHEN $kind = 'paper' THEN 1 ELSE 3 END) + (CASE WHEN $rollup THEN 1 ELSE 0 END) END * 10000 AS series
WITH named, tallied, mode, series,
     CASE WHEN $a < $b THEN $a ELSE $b END AS lo, CASE WHEN $a < $b THEN $b ELSE $a END AS hi
CALL {
  WITH named, tallied, mode, series, lo, hi
  UNWIND CASE WHEN tallied THEN named ELSE [] END AS unit
  MATCH (unit)-[:HAS_UNIT_YEAR]->(y:UnitYear)
  WHERE y.slot >= series + coalesce($from, 0) AND y.slot <= series + coalesce($to, 9999) AND y.intl > 0
  OPTIONAL MATCH (y)<-[h:HAS_UNIT]-(:PairYear {pair: $kind + '|' + mode + '|' + lo + '|' + hi})
  RETURN y.year AS year,
         CASE WHEN $counting = 'fractional' THEN coalesce(h.frac, 0.0) ELSE coalesce(h.records, 0) END AS n_ab,
         CASE WHEN $counting = 'fractional' THEN y.intl_frac ELSE y.intl END AS n_intl
  UNION ALL
  WITH named, tallied
  // The branch node first: a pattern to a bound node is a lookup, not a search, for each record.
  OPTIONAL MATCH (br:Branch {name: $branch})
  WITH named, tallied, br
  WHERE $branch IS NULL OR br IS NOT NULL
  UNWIND CASE WHEN tallied THEN [] ELSE named END AS e
  OPTIONAL MATCH (child:Institution)-[:PART_OF]->(e)
  WITH br, collect(DISTINCT e) + [c IN collect(DISTINCT child) WHERE $rollup] AS own
  WITH br, own, [x IN own | x.uid] AS own_uids
  UNWIND own AS i
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(i)
  WHERE ((p:Paper AND $kind = 'paper') OR (p:Patent AND $kind = 'patent'))
    AND CASE WHEN $kind = 'paper' THEN p.n_countries ELSE p.n_inventor_countries END > 1
    AND p.year IS NOT NULL AND ($from IS NULL OR p.year >= $from) AND ($to IS NULL OR p.year <= $to)
    AND (br IS NULL OR (p)-[:IN_BRANCH]->(br))
  WITH DISTINCT p, own_uids
  MATCH (p)-[:AFFILIATED_WITH|ASSIGNED_TO|INVENTED_AT]->(x:Institution)
  OPTIONAL MATCH (x)-[:PART_OF]->(parent:Institution)
  // The record's units: the named institution as one (''), the others as the roll-up counts them.
  WITH p, collect(DISTINCT CASE WHEN x.uid IN own_uids THEN ''
                                WHEN $rollup AND parent IS NOT NULL THEN parent.uid
                                ELSE x.uid END) AS units
  WITH p.year AS year, CASE WHEN $counting = 'fractional' THEN 1.0 / size(units) ELSE 1 END AS w,
       size([(p)-[f:FROM_COUNTRY]->(c:Country)
             WHERE c.code IN [$a, $b] AND coalesce(f.role, 'author') IN ['author', 'inventor'] | c]) = 2 AS both
  RETURN year, sum(CASE WHEN both THEN w ELSE 0 END) AS n_ab, sum(w) AS n_intl
}
WITH year, sum(n_ab) AS n_ab, sum(n_intl) AS n_intl
WITH year, CASE WHEN $counting = 'fractional' THEN toFloat(n_ab) ELSE toInteger(n_ab) END AS n_ab,
     CASE WHEN $counting = 'fractional' THEN toFloat(n_intl) ELSE toInteger(n_intl) END AS n_intl
RETURN year, n_ab, n_intl, toFloat(n_ab) / n_intl AS share
ORDER BY year
