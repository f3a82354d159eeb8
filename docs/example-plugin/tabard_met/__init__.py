"""Metropolitan Police Service naming rules for tabard (an example force plugin)."""
