"""The awards' sections of the year-end report and of the province summary."""
