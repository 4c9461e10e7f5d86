"""Screens of the pledge, one module per concern; ``pledges.urls`` imports the modules."""
