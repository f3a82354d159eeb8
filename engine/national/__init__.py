"""`tabard report`: one page over many force repositories (a national or regional view)."""
