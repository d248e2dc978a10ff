"""meetings' SQL, one module per table group (asyncpg; callers own the transaction)."""
