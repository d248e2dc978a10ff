"""Referral's own code lists (English code → 日本語ラベル), stored and published as codes.

Reason codes of a request are the shared issue codes (what the receiver is asked to take
up); the lists here are the decisions only referral makes.
"""

from __future__ import annotations

from typing import Final

# 受け手が断る理由
DECLINE_REASONS: Final[dict[str, str]] = {
    "out_of_scope": "対象外",
    "no_capacity": "受け入れ枠なし",
    "person_declined": "本人が希望しない",
    "already_supported": "既に支援中",
    "duplicate": "重複",
    "other": "その他",
}

# つなぎ先での支援の結果 (closed loop: the receiver reports back)
OUTCOMES: Final[dict[str, str]] = {
    "support_started": "支援開始",
    "resolved": "解決",
    "connected_onward": "他機関へつないだ",
    "person_declined": "本人が希望しない",
    "unreachable": "連絡がとれない",
    "other": "その他",
}

# 取消の理由: set by the service from who revokes, or by a consent withdrawal
REVOKE_BY_SENDER: Final = "by_sender"
REVOKE_BY_MANAGER: Final = "by_manager"
REVOKE_CONSENT_WITHDRAWN: Final = "consent_withdrawn"
REVOKE_REASONS: Final[dict[str, str]] = {
    REVOKE_BY_SENDER: "依頼元による取消",
    REVOKE_BY_MANAGER: "管理者による取消",
    REVOKE_CONSENT_WITHDRAWN: "同意の撤回",
}

STATUSES: Final[dict[str, str]] = {
    "requested": "依頼中",
    "accepted": "受理",
    "declined": "辞退",
    "completed": "完了",
    "revoked": "取消",
}
