"""Demo meetings."""


def seed(data: dict, log=print) -> None:
    """Filled in with the meetings feature."""
