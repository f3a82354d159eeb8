"""Data package: schemas shipped inside the tabard wheel."""
