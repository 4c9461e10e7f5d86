"""The scoring block on the cluster year page."""
