"""Criteria sheets, scores and (computed) rankings of a cluster year."""
