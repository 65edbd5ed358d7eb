// Papers already loaded from another source under the same DOI: one paper, several sources.
// $dois: [doi]
UNWIND $dois AS doi
MATCH (p:Paper {doi: doi})
RETURN doi, p.uid AS uid, p.source AS source
