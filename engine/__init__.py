"""tabard: policy-as-code for police social media accounts."""

from __future__ import annotations

from tabard._version import __version__

__all__ = ["__version__"]
