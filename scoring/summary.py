"""The ranking's section of the province summary: who led each cluster's ranking."""
