"""Policy: national and local packs (load, validate, compile) and the rule docs."""
