"""pytest fixtures for the server side (see tests/conftest.py)."""
