"""The read model other services keep of intake's cases and consents (one home for it).

referral and meetings both need to know, in their own database, who leads an intake case
(主担当), whether it is closed, and the case's consents (本人同意: scope and validity, never
the person). They build it from ``kasane.intake.v1`` with this package:

- :mod:`.model`: the record types and the table shape every such database has
  (:data:`~.model.TABLES`, checked against each service's migrated database by a test);
- :mod:`.store`: the queries (projections in, typed reads out);
- :mod:`.handlers`: the projections of ``CaseOpened``, ``CaseClosed``, ``CaseReopened``,
  ``ConsentRecorded``, ``ConsentWithdrawn``, registered on a service's dispatcher with its
  own follow-ups.

What a consent allows is :mod:`kasane.consent`'s (validity, the three scopes). Written down
in ``docs/architecture/intake-view.md``.
"""

from kasane.intake_view.model import IntakeCase

__all__ = ["IntakeCase"]
