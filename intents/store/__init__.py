"""Persistence: SQLAlchemy Core over SQLite (default) or PostgreSQL, one transaction per turn."""
