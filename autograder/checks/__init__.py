"""Graded checks, one module per part; each check is registered with @check (registry.py)."""
