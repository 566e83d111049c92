"""Alembic migrations of the server schema (env.py and versions/; no alembic.ini needed at run time)."""
