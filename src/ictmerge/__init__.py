"""ictmerge: carries merging municipalities through the takeover of their ICT."""

__version__ = "0.1.0"
