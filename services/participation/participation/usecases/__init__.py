"""One public async function per use case, one transaction each: load, check (domain),
change, audit (``kasane.audit``), events (outbox). Routes and handlers call these."""
