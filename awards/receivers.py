"""The awards' blocks on the cluster year, unit and person pages."""
