// Papers already loaded that are the same work as incoming records: the same DOI, or, for a
// record without a DOI, the same normalised title and year.  One paper, several sources.
// $dois: [doi]
// $title_keys: [title_key]
UNWIND $dois AS doi
MATCH (p:Paper {doi: doi})
RETURN 'doi' AS by, doi AS key, p.uid AS uid
UNION ALL
UNWIND $title_keys AS title_key
MATCH (p:Paper {title_key: title_key})
RETURN 'title' AS by, title_key AS key, p.uid AS uid
