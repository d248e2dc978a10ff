"""Session settings of a leader's connection (the outbox relay, the audit sealer).

Both elect their leader with a session advisory lock, so the lock lives exactly as long as
the leader's PostgreSQL session (docs/architecture/replicas.md). Two settings make that
session visible and short-lived when its host vanishes:

- ``application_name`` names the role and the process (``kasane-relay pid=<pid>``), so an
  operator, and the replica kill test, can tell from ``pg_stat_activity`` which replica leads;
- server-side TCP keepalive (idle 10 s, then 3 probes 5 s apart): if the leader's host
  disappears without closing the socket, the server ends the session and frees the lock for
  a survivor within about 25 s, not after the kernel's two-hour default. Ignored on unix
  sockets, where a killed process closes the connection at once anyway.
"""

from __future__ import annotations

import os

LEADER_KEEPALIVE = {
    "tcp_keepalives_idle": "10",
    "tcp_keepalives_interval": "5",
    "tcp_keepalives_count": "3",
}


def leader_session_settings(role: str) -> dict[str, str]:
    """``server_settings`` for the connection that holds ``role``'s leader lock."""
    return {"application_name": f"{role} pid={os.getpid()}", **LEADER_KEEPALIVE}
