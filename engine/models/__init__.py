"""Typed models (pydantic) of what tabard reads and writes; the source of ``schemas/``.

Nothing on the run-time path imports this package: ``tabard check`` validates with the
compiled JSON Schemas and must start fast in a pre-commit hook (a test asserts that
pydantic is never imported by a check).  Install ``tabard[models]`` to use it.
"""
