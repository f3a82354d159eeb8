"""Documents: strict YAML with positions, the repository walk, document schemas and their
messages, the structural checks and engine rules (TAB-*), and the parse cache."""
