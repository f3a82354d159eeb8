"""Data package: plugins shipped inside the tabard wheel."""
