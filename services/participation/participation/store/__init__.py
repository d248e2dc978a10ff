"""asyncpg queries; each returns typed values (frozen dataclasses), never raw records."""
