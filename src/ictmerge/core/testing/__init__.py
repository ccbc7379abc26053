"""Test support: personas over a small reform, and records made from a model's fields."""
