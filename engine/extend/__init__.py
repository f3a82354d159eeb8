"""Extending tabard: the plugin manager, the hook specifications and the plugin API types.

The public names are re-exported by ``tabard`` itself; import them from there."""
