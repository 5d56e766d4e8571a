"""Storage of orders, returns and their event log (SQLAlchemy; SQLite or PostgreSQL)."""
