"""indicators' SQL: typed reads and writes of the fact tables, targets and surveys."""
