"""outreach's use cases: each public function is one transaction (load, check, change,
audit, events), called by a route or an event handler."""
