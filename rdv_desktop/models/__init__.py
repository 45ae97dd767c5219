"""SQLAlchemy models, engine set-up and migrations. No Qt."""
