"""Referral's own code lists (English code → 日本語ラベル), stored and published as codes.

Reason codes of a request are the shared issue codes (what the receiver is asked to take
up); the lists here are the decisions only referral makes.
"""

from __future__ import annotations

from typing import Final

from kasane.reference import program_codes

# One home for each list, shared with the portal's labels: kasane.reference.program_codes.
# 受け手が断る理由
DECLINE_REASONS: Final[dict[str, str]] = program_codes.labels("referral_decline_reasons")

# つなぎ先での支援の結果 (closed loop: the receiver reports back)
OUTCOMES: Final[dict[str, str]] = program_codes.labels("referral_outcomes")

# 取消の理由: set by the service from who revokes, or by a consent withdrawal
REVOKE_BY_SENDER: Final = "by_sender"
REVOKE_BY_MANAGER: Final = "by_manager"
REVOKE_CONSENT_WITHDRAWN: Final = "consent_withdrawn"
REVOKE_REASONS: Final[dict[str, str]] = program_codes.labels("referral_revoke_reasons")

STATUSES: Final[dict[str, str]] = program_codes.labels("referral_statuses")
