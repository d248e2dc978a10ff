"""The city adds a 連携機関 without a release: `kasane reference import` writes a version with
a new partner and another one deactivated; a real referral service process started with
KASANE_REFERENCE_DIR accepts a referral to the new partner and refuses the deactivated one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from kasane.reference import REFERENCE_DIR_ENV
from kasane.reference.importing import export_tables
from kasane.reference.versions import packaged_snapshot
from kasane.settings import Settings
from kasane_dev.cli import main as cli
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import prepare_run
from kasane_dev.testing.services import (
    ChildService,
    RunningService,
    prepare_database,
    start_child,
)
from tests.integration.referral.referral_fixtures import fetchval, open_case, record_consent

pytestmark = pytest.mark.integration

OWNER = "jiritsu"
NEW = "kurume-kodomo-shokudo"  # not in the packaged partners.json
STOPPED = "kurume-clinic-renkei"  # active in the package, deactivated by the import


def _partners_csv(folder: Path) -> Path:
    """The packaged table as exported, one partner added and one set 活動中=いいえ."""
    rows = export_tables(packaged_snapshot())["partners"]
    for row in rows:
        if row[0] == STOPPED:
            row[7] = "いいえ"
    rows.append(
        [
            NEW,
            "くるめ子ども食堂ネット（架空）",
            "NPO・中間支援組織",
            "NPO法人",
            "0942-00-0007",
            "久留米市（架空）食堂町7-7",
            "いいえ",
            "はい",
            "",
        ]
    )
    path = folder / "partners.csv"
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode("utf-8-sig"))
    return path


async def test_an_imported_partner_receives_referrals_and_a_deactivated_one_does_not(
    service_env: dict[str, str],
    settings: Settings,
    auth: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    directory = tmp_path / "reference"
    source = _partners_csv(tmp_path)
    assert cli.main(["reference", "import", "--dir", str(directory), str(source)]) == 0
    assert (directory / "v0001" / "partners.json").is_file()

    # Topics and a database of its own: this process joins no other test's consumer group.
    namespace = f"{settings.topic_namespace}refpartners."
    suffix = f"{settings.database_suffix}_refpartners"
    own = settings.model_copy(update={"topic_namespace": namespace, "database_suffix": suffix})
    await asyncio.to_thread(prepare_run, own)
    dsn = await prepare_database("referral", own)
    env = {
        **service_env,
        "KASANE_TOPIC_NAMESPACE": namespace,
        "KASANE_DATABASE_SUFFIX": suffix,
        REFERENCE_DIR_ENV: str(directory),
    }
    child: ChildService | None = None
    try:
        child = await start_child("referral", free_port(), env, tmp_path / "referral.log")
        async with httpx.AsyncClient(base_url=child.base_url) as client:
            health = (await client.get("/healthz")).json()
            assert health["reference_version"] == "v0001", health
            referral = RunningService("referral", client, dsn)
            case_id = await open_case(own, referral, OWNER)
            await record_consent(own, referral, case_id, OWNER, agencies=[NEW, STOPPED])

            def refer(target: str) -> dict[str, object]:
                return {"case_id": str(case_id), "to_agency": target, "reason_codes": ["poverty"]}

            headers = auth(OWNER, "counselor")
            created = await client.post("/referrals", json=refer(NEW), headers=headers)
            assert created.status_code == 201, created.text
            assert created.json()["legal_basis"] == "consent"

            refused = await client.post("/referrals", json=refer(STOPPED), headers=headers)
            assert refused.status_code == 422, refused.text
            [error] = refused.json()["errors"]
            assert error["field"] == "to_agency"
            assert "活動を終えた連携機関です" in error["reason"]
            written = await fetchval(
                dsn, "SELECT array_agg(to_agency_id) FROM referrals WHERE case_id = $1", case_id
            )
            assert written == [NEW]

            # The directory lists the new partner and no longer the stopped one.
            listed = await client.get("/partners", headers=headers)
            assert listed.status_code == 200, listed.text
            ids = {p["id"] for p in listed.json()}
            assert NEW in ids
            assert STOPPED not in ids
    finally:
        if child is not None:
            child.kill()
