"""School-enterprise joint training bases."""
