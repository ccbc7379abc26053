"""Pure import helpers: reading files as people save them, templates, row validation."""
