"""参加支援's rules, no I/O: request bodies and their checks, states, visibility, capacity,
matching. Refusals are ``kasane.errors`` exceptions (no HTTP here)."""
