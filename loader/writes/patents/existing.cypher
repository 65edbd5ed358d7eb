// Which of these patents (inventions) are in the graph already, and in which year.
// $uids: [uid]
UNWIND $uids AS uid
MATCH (p:Patent {uid: uid})
RETURN p.uid AS uid, p.year AS year, p.counted AS counted
