"""Data package: policies shipped inside the tabard wheel."""
