"""indicators' use cases: each public async function is one transaction."""
