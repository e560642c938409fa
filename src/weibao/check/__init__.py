"""Checks: each takes loaded records and returns Error values."""
