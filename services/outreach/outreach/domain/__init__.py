"""outreach's rules: pure (no I/O, no FastAPI, no asyncpg); refusals are ``kasane.errors``."""
