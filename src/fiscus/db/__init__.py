"""Database foundations: declarative base, column types, engines and sessions, scoping."""
