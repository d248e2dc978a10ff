"""The committed AsyncAPI document must equal what the code generates."""

from __future__ import annotations

import json

from kasane.events import all_contracts
from kasane.events.asyncapi import generate, render
from kasane.settings import REPO_ROOT

COMMITTED = REPO_ROOT / "docs" / "asyncapi.json"


def test_committed_asyncapi_matches_the_code() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/asyncapi.json is stale: run `make asyncapi` and commit the result"
    )


def test_every_contract_is_documented() -> None:
    messages = generate()["components"]["messages"]
    for contracts in all_contracts().values():
        for contract in contracts:
            name = f"{contract.event_type}.v{contract.schema_version}"
            assert messages[name]["payload"]["properties"]["event_type"]["const"] == (
                contract.event_type
            )


def test_document_is_valid_json_with_asyncapi_3() -> None:
    assert json.loads(render())["asyncapi"] == "3.0.0"
