"""Cross-app pages, one module per concern; ``reports.urls`` imports the modules."""
