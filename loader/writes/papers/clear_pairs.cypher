// Drop the co-authorship edges of the years a load touched; they are rebuilt right after.
// $years: [year]
MATCH ()-[r:CO_AUTHORED]->()
WHERE r.year IN $years
DELETE r
