"""The city's reference data reaches the services: `kasane reference import` writes a version,
real service processes started with KASANE_REFERENCE_DIR serve the new names and report the
version in /healthz (the services read the version once, at boot)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx

from kasane.reference import REFERENCE_DIR_ENV
from kasane.reference.importing import export_tables
from kasane.reference.versions import packaged_snapshot
from kasane.settings import Settings
from kasane_dev.cli import main as cli
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import prepare_run
from kasane_dev.testing.services import ChildService, prepare_database, start_child


def _city_files(folder: Path) -> list[Path]:
    """The city's files as an office exports them: agencies in Shift_JIS, 校区 in UTF-8+BOM."""
    agencies = folder / "agencies.csv"
    agencies.write_bytes(
        "機関ID,名称,連絡先\r\nhoukatsu-01,東部地域包括支援センター,0942-00-0001\r\n".encode(
            "cp932"
        )
    )
    rows = export_tables(packaged_snapshot())["districts"]
    renamed = [
        [r[0], "みどり校区" if r[0] == "03" else r[1], r[2], "東部圏域" if r[2] == "01" else r[3]]
        for r in rows
    ]
    districts = folder / "school_districts.csv"
    districts.write_bytes("".join(",".join(r) + "\r\n" for r in renamed).encode("utf-8-sig"))
    return [agencies, districts]


async def test_imported_names_are_served_and_the_version_is_in_healthz(
    service_env: dict[str, str],
    settings: Settings,
    auth: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    directory = tmp_path / "reference"
    files = _city_files(tmp_path)
    assert cli.main(["reference", "import", "--dir", str(directory), *map(str, files)]) == 0
    assert (directory / "current").read_text(encoding="utf-8").strip() == "v0001"

    # Topics and databases of their own: these processes join no other test's consumer group.
    namespace = f"{settings.topic_namespace}reference."
    suffix = f"{settings.database_suffix}_reference"
    own = settings.model_copy(update={"topic_namespace": namespace, "database_suffix": suffix})
    await asyncio.to_thread(prepare_run, own)
    for name in ("community", "indicators"):
        await prepare_database(name, own)
    env = {
        **service_env,
        "KASANE_TOPIC_NAMESPACE": namespace,
        "KASANE_DATABASE_SUFFIX": suffix,
        REFERENCE_DIR_ENV: str(directory),
    }
    children: list[ChildService] = []
    try:
        for name in ("community", "indicators"):
            log = tmp_path / f"{name}.log"
            children.append(await start_child(name, free_port(), env, log))
        community, indicators = children
        async with httpx.AsyncClient() as client:
            for child in children:
                health = (await client.get(f"{child.base_url}/healthz")).json()
                assert health["status"] == "ok", health
                assert health["reference_version"] == "v0001", health

            response = await client.get(
                f"{community.base_url}/school-districts",
                headers=auth("shakyo", "coordinator"),
            )
            assert response.status_code == 200, response.text
            area = next(a for a in response.json()["daily_life_areas"] if a["code"] == "01")
            assert area["name_ja"] == "東部圏域"
            assert {"code": "03", "name_ja": "みどり校区"} in area["school_districts"]

            response = await client.get(
                f"{indicators.base_url}/agencies/houkatsu-01/monthly",
                params={"fiscal_year": 2025},
                headers=auth("city-chiiki-fukushi", "city_official"),
            )
            assert response.status_code == 200, response.text
            assert response.json()["agency_name_ja"] == "東部地域包括支援センター"
    finally:
        for child in children:
            child.kill()
