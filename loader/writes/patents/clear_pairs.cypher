// Drop the co-invention edges of the years a load touched; they are rebuilt right after.
// $years: [year]
MATCH ()-[r:CO_INVENTED]->()
WHERE r.year IN $years
DELETE r
