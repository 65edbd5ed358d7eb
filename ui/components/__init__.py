"""Building blocks shared by the explorer's pages: data access, charts, the network view, text."""
