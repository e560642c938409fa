"""Reporters that carry validation errors to where contributors look: job summaries, review tools."""
