"""institution_list ranks institutions by their own records with a year, read from the unit
tallies; institutions with none fill the list only after every institution that has some."""
from __future__ import annotations

import pytest

from cypher import runner
from loader.pipeline import load_paths

# Four records written for this test.  Counted by hand (own records with a year; an institute's
# records are its own, not its parent's):
#   W1 2019: Tsinghua, UC Berkeley (a campus of the UC System)
#   W2 2020: Tsinghua, Peking
#   W3 no year: Tokyo, Peking           -> counts for nobody
#   W4 2020: Stanford
# Tsinghua 2; Peking, Stanford, UC Berkeley 1 each; UC System (the parent, on no record itself)
# and Tokyo (only on W3) 0.
RECORDS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Wang, L
   Smith, J
TI Institution list record one
C1 [Wang, L] Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China.
   [Smith, J] Univ Calif Berkeley, Dept EECS, Berkeley, CA 94720 USA.
PY 2019
UT WOS:000000000000901
ER

PT J
AU Li, X
   Zhang, W
TI Institution list record two
C1 [Li, X] Tsinghua Univ, Dept Elect Engn, Beijing 100084, Peoples R China.
   [Zhang, W] Peking Univ, Sch Comp Sci, Beijing 100871, Peoples R China.
PY 2020
UT WOS:000000000000902
ER

PT J
AU Sato, K
   Zhang, W
TI Institution list record three
C1 [Sato, K] Univ Tokyo, Grad Sch Informat Sci & Technol, Tokyo 1138656, Japan.
   [Zhang, W] Peking Univ, Sch Comp Sci, Beijing 100871, Peoples R China.
UT WOS:000000000000903
ER

PT J
AU Brown, A
TI Institution list record four
C1 [Brown, A] Stanford Univ, Dept Elect Engn, Stanford, CA 94305 USA.
PY 2020
UT WOS:000000000000904
ER

EF
"""

EXPECTED = [
    ("Tsinghua University", "CN", 2),
    ("Peking University", "CN", 1),
    ("Stanford University", "US", 1),
    ("University of California Berkeley", "US", 1),
    ("University of California System", "US", 0),
    ("University of Tokyo", "JP", 0),
]


@pytest.fixture(scope="module")
def loaded(falkor_session, tmp_path_factory):
    falkor_session.clear()
    falkor_session.apply_schema()
    path = tmp_path_factory.mktemp("institution_list") / "savedrecs.txt"
    path.write_text(RECORDS, encoding="utf-8")
    assert load_paths(falkor_session, [path]).ok
    yield falkor_session
    falkor_session.clear()


@pytest.mark.parametrize("limit", [1, 4, 5, 50])
def test_ranked_by_own_records_with_a_year_then_the_rest_by_name(loaded, limit):
    rows = runner.run(loaded, "institution_list", {"limit": limit}).rows
    assert [(r["name"], r["country"], r["records"]) for r in rows] == EXPECTED[:limit]
    assert all(isinstance(r["records"], int) for r in rows)


def test_a_campus_names_its_parent(loaded):
    rows = {r["name"]: r for r in runner.run(loaded, "institution_list", {"limit": 50}).rows}
    assert rows["University of California Berkeley"]["parent"] == "University of California System"
    assert rows["Tsinghua University"]["parent"] is None
