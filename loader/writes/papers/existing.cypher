// Which of these papers are in the graph already, and in which year (a reload may move one).
// $uids: [uid]
UNWIND $uids AS uid
MATCH (p:Paper {uid: uid})
RETURN p.uid AS uid, p.year AS year, p.counted AS counted
