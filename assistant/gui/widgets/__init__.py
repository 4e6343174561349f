"""One widget per module; the main window composes them."""
