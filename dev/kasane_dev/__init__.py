"""kasane's development tooling: the local stack, the ``kasane`` command line, the demo year
and the test fixtures.

It lives apart from the runtime package ``kasane`` so that service images carry only what a
service runs (docs/architecture/service-layout.md): nothing under ``shared/kasane`` or
``services/`` imports this package.
"""
