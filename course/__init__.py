"""Shared code for the course's notebooks, tests and tools."""
