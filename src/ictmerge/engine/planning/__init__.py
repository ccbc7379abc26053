"""Governance alternatives, action-plan generation, scheduling and budget (issue 8)."""
