"""A run: the session (config, plugins, packs), evaluation, waivers and policy tests."""
