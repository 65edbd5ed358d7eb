"""Whole and fractional counting from the record types of a pair, on exports worked by hand.

tests/data/small_wos.txt, CN-US (see test_graph_load.py): 2019 has 001 (CN-US), 002 (CN-JP),
003 (US-GB); 2020 has 005 (CN-US-JP, three countries) and 009 (CN-US); 2021 has 007 (CN-US).

PATENTS below, inventors' countries / applicants' countries, all 2019:
  F1 CN-US / CN-US      F2 CN-US-JP / CN      F3 US-DE / US      F4 CN only / CN
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis import AnalysisError
from analysis.counting import fetch_cells, pair_table, pair_weights, reconciliation
from cypher import runner
from loader.pipeline import load_paths
from tests.conftest import real_file

SMALL = Path(__file__).parent / "data" / "small_wos.txt"
PATENTS = """family_id,application_number,application_date,title,applicants,applicant_countries,inventors,inventor_countries
F1,CN201910000001,2019-01-10,Neural network processor,Huawei Technologies|Intel Corporation,CN|US,"Wang, Wei|Smith, John",CN|US
F2,CN201910000002,2019-02-11,Tensor processing unit,Huawei Technologies,CN,"Wang, Wei|Smith, John|Sato, Ken",CN|US|JP
F3,US201916000003,2019-03-12,Field programmable gate array,Intel Corporation,US,"Smith, John|Muller, Hans",US|DE
F4,CN201910000004,2019-04-13,Graphics processing unit,Tsinghua University,CN,"Li, Na|Zhao, Lei",CN|CN
"""


@pytest.fixture
def patents(graph, tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text(PATENTS, encoding="utf-8")
    assert load_paths(graph, [path]).ok
    return graph


def test_pair_weights():
    assert pair_weights(np.array([2, 3, 4, 6]), "whole").tolist() == [1, 1, 1, 1]
    # Perianes-Rodriguez et al.: each country's unit is split over its k - 1 partners.
    assert pair_weights(np.array([2, 3, 4, 6]), "fractional").tolist() == pytest.approx([1, 1 / 2, 1 / 3, 1 / 5])
    with pytest.raises(AnalysisError):
        pair_weights(np.array([2]), "full")


def test_record_types_of_the_small_export(graph):
    load_paths(graph, [SMALL])
    cells = fetch_cells(graph, "CN", "US")
    got = {tuple(r) for r in cells[["year", "has_a", "has_b", "n_countries", "records"]].itertuples(index=False)}
    assert got == {(2019, True, True, 2, 1), (2019, True, False, 2, 1), (2019, False, True, 2, 1),
                   (2020, True, True, 3, 1), (2020, True, True, 2, 1), (2021, True, True, 2, 1)}


def test_whole_counting_from_record_types_equals_the_closeness_query(graph):
    load_paths(graph, [SMALL])
    table = pair_table(fetch_cells(graph, "CN", "US"), "whole")
    closeness = runner.run_df(graph, "closeness", {"a": "CN", "b": "US"})
    assert table[["year", "n_ab", "n_a", "n_b"]].values.tolist() == closeness[["year", "n_ab", "n_a", "n_b"]].values.tolist()
    assert table["closeness"].tolist() == pytest.approx(closeness["closeness"].tolist())


def test_fractional_counting_worked_by_hand(graph):
    """2020: 005 gives CN-US 1/(3-1) = 0.5, 009 gives 1: n_ab = 1.5; n_a = n_b = 2 (records);
    closeness 1.5/sqrt(2*2) = 0.75, shares 0.75.  2019 and 2021: only two-country records,
    as whole counting."""
    load_paths(graph, [SMALL])
    table = pair_table(fetch_cells(graph, "CN", "US"), "fractional").set_index("year")
    assert table.loc[2020, ["n_ab", "n_a", "n_b"]].tolist() == pytest.approx([1.5, 2, 2])
    assert table.loc[2020, "closeness"] == pytest.approx(0.75)
    assert table.loc[2020, "share_a"] == pytest.approx(0.75)
    assert table.loc[2019, ["n_ab", "closeness"]].tolist() == pytest.approx([1, 0.5])
    assert table.loc[2021, "closeness"] == pytest.approx(1.0)


def test_reconciliation_explains_the_difference(graph):
    """2020: CN's records 005 (k = 3) and 009 (k = 2) give CN 2 + 1 = 3 whole links, 2
    fractional; n_ab 2 whole, 1.5 fractional, the 0.5 being the one three-country record."""
    load_paths(graph, [SMALL])
    rec = reconciliation(fetch_cells(graph, "CN", "US")).set_index("year")
    row = rec.loc[2020]
    assert (row["n_a"], row["links_a_whole"], row["links_a_fractional"]) == (2, 3, 2)
    assert (row["n_ab_whole"], row["n_ab_fractional"]) == (2, pytest.approx(1.5))
    assert (row["ab_k2"], row["ab_k3"], row["ab_k4plus"]) == (1, 1, 0)
    assert (row["intl_k2"], row["intl_k3"], row["intl_k4plus"]) == (1, 1, 0)
    # The identity the table is for, every year.
    for _, r in rec.iterrows():
        assert r["n_ab_whole"] - r["n_ab_fractional"] == pytest.approx(r["ab_k3"] / 2 + r["ab_k4plus_discount"])
    assert rec.loc[2019, "intl_k2"] == 3 and rec.loc[2019, "links_a_whole"] == 2


def test_patents_count_the_chosen_role(patents):
    """Inventors: F1 and F2 have CN and US (F2 with three countries), F3 has US; F4 is domestic.
    n_a = 2, n_b = 3, n_ab = 2 whole, 1 + 1/2 fractional.  Applicants: only F1 is international."""
    inventors = pair_table(fetch_cells(patents, "CN", "US", kind="patent"), "whole").iloc[0]
    assert (inventors["n_ab"], inventors["n_a"], inventors["n_b"], inventors["n_intl"]) == (2, 2, 3, 3)
    fractional = pair_table(fetch_cells(patents, "CN", "US", kind="patent"), "fractional").iloc[0]
    assert fractional["n_ab"] == pytest.approx(1.5)
    applicants = pair_table(fetch_cells(patents, "CN", "US", kind="patent", role="applicant"), "whole").iloc[0]
    assert (applicants["n_ab"], applicants["n_a"], applicants["n_b"], applicants["n_intl"]) == (1, 1, 1, 1)
    closeness = runner.run_df(patents, "closeness", {"a": "CN", "b": "US", "kind": "patent"}).iloc[0]
    assert closeness["closeness"] == pytest.approx(inventors["closeness"]) == pytest.approx(2 / 6 ** 0.5)


def test_a_pair_of_one_country_is_refused(graph):
    with pytest.raises(AnalysisError, match="two different countries"):
        fetch_cells(graph, "CN", "CN")
    with pytest.raises(AnalysisError, match="kind"):
        fetch_cells(graph, "CN", "US", kind="book")


def test_fractional_counting_on_a_real_export(graph):
    """wos/Biblio_AI_EP-savedrecs.txt (188 records, AI in epilepsy imaging).  Its 2019 China-US
    papers, read from their C1 addresses: WOS:000459454900004 (Peoples R China; USA) and
    WOS:000480361800001 (England; Peoples R China; USA); no other international 2019 record has
    China or the USA.  So n_a = n_b = n_ab = 2 whole (closeness 1) and n_ab = 1 + 1/(3-1) = 1.5
    fractional (closeness 0.75)."""
    assert load_paths(graph, [real_file("wos", "Biblio_AI_EP-savedrecs.txt")]).ok
    cells = fetch_cells(graph, "CN", "US")
    whole = pair_table(cells, "whole").set_index("year")
    fractional = pair_table(cells, "fractional").set_index("year")
    assert whole.loc[2019, ["n_ab", "n_a", "n_b"]].tolist() == [2, 2, 2]
    assert fractional.loc[2019, "n_ab"] == pytest.approx(1.5)
    assert fractional.loc[2019, "closeness"] == pytest.approx(0.75)
    # Every year: the record types add up to the closeness query, and fractional never exceeds whole.
    closeness = runner.run_df(graph, "closeness", {"a": "CN", "b": "US"}).set_index("year")
    assert whole[["n_ab", "n_a", "n_b"]].equals(closeness[["n_ab", "n_a", "n_b"]])
    assert (fractional["n_ab"] <= whole["n_ab"]).all()
    rec = reconciliation(cells)
    assert ((rec["n_ab_whole"] - rec["n_ab_fractional"]) - (rec["ab_k3"] / 2 + rec["ab_k4plus_discount"])).abs().max() \
        == pytest.approx(0)
