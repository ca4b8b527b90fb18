"""Qt widgets that present what viewer.core computed."""
