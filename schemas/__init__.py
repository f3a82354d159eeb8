"""Data package: schemas shipped inside the tabard wheel.

Generated from the models in ``engine/models/`` (``python -m tabard.models``); do not edit
the JSON files by hand (``tests/test_models.py`` fails when they differ from the models).
"""
