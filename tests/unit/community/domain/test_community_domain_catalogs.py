"""The program catalog (the seed document's 第2-3) and community's code lists."""

from __future__ import annotations

import pytest

from community.domain import codes
from kasane.reference.programs import OPERATION_LABELS, Catalog, catalog, get_program


def _count(program: str, facility: str) -> int | None:
    found = get_program(program)
    assert found is not None
    return next(f.count for f in found.facilities if f.code == facility)


def test_catalog_carries_the_seeds_counts_and_operating_forms() -> None:
    assert _count("living_support_system", "living_support_coordinator") == 11
    assert _count("activity_support_center", "type_1") == 2
    assert _count("activity_support_center", "type_3") == 8
    assert _count("kosodate_plaza", "kosodate_plaza") == 1
    assert _count("jido_center", "jido_center") == 1
    assert _count("tsudoi_hiroba", "tsudoi_hiroba") == 1
    assert _count("childrearing_support_center", "childrearing_support_center") == 9
    forms = {p.code: p.operation for p in catalog().programs}
    assert forms["community_care_prevention"] == "delegated"  # 委託
    assert forms["activity_support_center"] == "subsidy"  # 団体補助
    assert forms["childrearing_support_center"] == "direct"  # 直営
    assert forms["watch_network"] == "direct"
    assert forms["civic_activity"] == "subsidy"
    assert OPERATION_LABELS == {"delegated": "委託", "subsidy": "団体補助", "direct": "直営"}


def test_catalog_lists_every_program_of_the_seed() -> None:
    names = {p.name_ja for p in catalog().programs}
    for expected in (
        "一般介護予防事業",
        "地域介護予防活動支援事業",
        "生活支援体制整備事業",
        "地域活動支援センター運営事業",
        "地域子育て支援拠点事業",
        "くるめ見守りネットワーク事業",
        "避難行動要支援者支援",
        "支え合うプラン取組推進事業",
        "小地域ネットワーク活動",
        "生活困窮者社会資源活用促進事業",
        "子ども食堂支援事業",
        "久留米市市民活動・絆づくり推進事業費補助事業",
    ):
        assert expected in names
    care = get_program("community_care_prevention")
    assert care is not None and len(care.components) == 5  # its 出張講座 and volunteers


def test_catalog_rejects_an_umbrella_without_parts() -> None:
    data = catalog().model_dump()
    data["programs"] = [p for p in data["programs"] if p["parent"] != "childrearing_hub"]
    with pytest.raises(ValueError, match="childrearing_hub"):
        Catalog.model_validate(data)


def test_code_lists() -> None:
    assert codes.is_valid("resource_categories", "kodomo_shokudo")
    assert not codes.is_valid("urgencies", "asap")
    with pytest.raises(ValueError, match="unknown reporter_types"):
        codes.check("reporter_types", "police", "通報者の種別")
    assert codes.labels("urgencies") == {"normal": "通常", "urgent": "至急"}
