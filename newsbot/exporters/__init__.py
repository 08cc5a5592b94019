"""Output formats for finished posts."""
