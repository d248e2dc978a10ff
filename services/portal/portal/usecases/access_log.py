"""開示請求: one person's access log, read from intake as the auditor (intake audits that
read too, so a 開示請求 is itself on the record)."""

from __future__ import annotations

from uuid import UUID

from portal.store.services import Answer, Services

PAGE = 500  # intake's maximum; a longer log is paged with 「続きを表示」


async def person_access_log(
    services: Services, token: str, person_id: UUID, after_seq: int = 0
) -> Answer:
    return await services.get(
        token, "intake", f"/persons/{person_id}/access-log", after_seq=after_seq, limit=PAGE
    )
