"""outreach's SQL; functions return typed values, never raw records."""
