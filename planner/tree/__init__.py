"""The organisation tree: eras, levels, names and the tree model of every era."""
