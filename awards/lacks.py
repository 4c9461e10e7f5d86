"""The dashboard's checks of what the awards still lack."""
