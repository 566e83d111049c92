"""pytest fixtures for the client side (see tests/conftest.py)."""
