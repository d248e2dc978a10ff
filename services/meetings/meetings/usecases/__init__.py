"""meetings' use cases: what routes and event handlers call.

A function taking a ``pool`` is one use case in one transaction of its own: it loads, checks
(``meetings.domain``), changes, writes the access audit and the outbox events. A function
taking a ``conn`` runs inside its caller's transaction: an event handler's (the inbox's) or
another use case's (``queueing``, ``deciding.decide``, ``viewing.load_view`` are such steps).
``auditing`` writes the access-audit rows (and the denied row of a refused attempt).
"""
