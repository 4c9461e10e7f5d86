"""The blocks the registers kept beside the awards add to the person and cluster year pages."""
