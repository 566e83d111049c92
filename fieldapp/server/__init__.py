"""The central sync server: HTTP API, database models and migrations, admin commands (SQLite or PostgreSQL)."""
