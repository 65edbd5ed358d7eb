"""Analyses beyond the study's closeness: intervals, fractional counting, other indices,
country matrices, change between periods and exports (`python -m analysis`).

Every module reads the graph only through saved queries (cypher/*.cypher) and does its
arithmetic in pandas/numpy, so the same numbers come out on FalkorDB and Neo4j.
"""


class AnalysisError(ValueError):
    """An analysis was asked for something it cannot do; the message says what to change."""
