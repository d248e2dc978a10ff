"""If-Match on a versioned target: two workers editing offline never silently overwrite
each other. The ETag itself is ``kasane.web.etag``."""

from __future__ import annotations

from kasane.errors import Conflict, VersionRequired
from kasane.web.etag import matches


def check_if_match(if_match: str | None, version: int, *, required: bool) -> None:
    """Pass if ``if_match`` names ``version`` (or is absent where not required)."""
    if if_match is None:
        if required:
            raise VersionRequired(
                "If-Match",
                "If-Match ヘッダが必要です（GET の ETag）/ If-Match required (the ETag of a GET)",
            )
        return
    if not matches(if_match, version):
        # 409, not 412: clients (and the tests) have relied on 409 for a stale write.
        raise Conflict(
            "If-Match",
            "他の担当者が先に更新しました。読み直してください"
            " / the target changed since you read it: read it again",
        )
