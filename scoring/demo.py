"""Demo criteria sheet and scores."""


def seed(data: dict, log=print) -> None:
    """Filled in with the scoring feature."""
