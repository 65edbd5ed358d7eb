// How many inventor and applicant countries each patent has.
// $years: [year]
MATCH (p:Patent)
WHERE p.year IN $years
WITH p,
     size([(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = 'inventor' | c]) AS inventors,
     size([(p)-[f:FROM_COUNTRY]->(c:Country) WHERE f.role = 'applicant' | c]) AS applicants
SET p.n_inventor_countries = inventors, p.n_applicant_countries = applicants
