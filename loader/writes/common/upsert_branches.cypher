// Technology branches (the study's Table 1).
// $rows: [{name}]
UNWIND $rows AS row
MERGE (:Branch {name: row.name})
