"""Data files shipped with tabard (the list of forces)."""
