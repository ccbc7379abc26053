"""The planning engine: pure Python, no Django; typed dataclasses in, typed dataclasses out."""
