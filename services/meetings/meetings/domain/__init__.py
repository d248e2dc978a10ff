"""meetings' rules, with no I/O: calendar, consent, agenda, access, plans, decisions."""
