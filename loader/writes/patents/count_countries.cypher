// How many inventor and applicant countries each patent has.  (Each comprehension has its
// own variable names: FalkorDB confuses two that share them.)
// $years: [year]
MATCH (p:Patent)
WHERE p.year IN $years
WITH p,
     size([(p)-[fi:FROM_COUNTRY]->(ci:Country) WHERE fi.role = 'inventor' | ci]) AS inventors,
     size([(p)-[fa:FROM_COUNTRY]->(ca:Country) WHERE fa.role = 'applicant' | ca]) AS applicants
SET p.n_inventor_countries = inventors, p.n_applicant_countries = applicants, p.counted = true
