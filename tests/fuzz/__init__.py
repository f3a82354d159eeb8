"""Bad-input campaign: mutated repositories run through the real ``tabard check``.

``mutations`` makes the bad inputs, ``harness`` runs tabard on them and judges the
outcome, and ``campaign`` (``python -m tests.fuzz.campaign``) runs for as long as a
maintainer likes.  ``tests/test_fuzz_properties.py`` drives the same pieces from
hypothesis with a bounded example count on every CI run.
"""
