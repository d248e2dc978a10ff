from typing import get_args

import pytest

from kasane.reference import (
    UnknownReferenceCodeError,
    codes,
    enumeration_label,
    enumeration_names,
    is_valid,
    label_of,
    labels,
)
from kasane.reference.codes import ENUM_TYPES, EnumName


def test_literal_types_match_json_codes() -> None:
    assert set(get_args(EnumName)) == set(enumeration_names()) == set(ENUM_TYPES)
    for name, alias in ENUM_TYPES.items():
        assert get_args(alias) == codes(name), name  # type: ignore[arg-type]


def test_design_examples_both_ways() -> None:
    assert labels("channels") == {
        "in_person": "来所",
        "phone": "電話",
        "home_visit": "訪問",
        "email": "メール",
        "from_agency": "関係機関から",
        "watch_network": "見守りネットワーク",
    }
    assert labels("consent_methods") == {"written": "書面", "verbal": "口頭"}
    assert labels("consulted_by") == {
        "self": "本人",
        "family": "家族",
        "agency": "関係機関",
        "resident": "地域住民",
    }
    assert labels("meeting_types") == {
        "multilayer_meeting": "重層的支援会議",
        "support_meeting": "支援会議",
    }
    assert labels("programs") == {
        "participation": "参加支援",
        "outreach": "アウトリーチ",
        "multiagency": "多機関協働",
    }
    assert label_of("legal_bases", "support_meeting") == "支援会議（社会福祉法106条の6）"
    assert label_of("consultation_outcomes", "connected") == "つなぎ"


def test_roles_match_design_section_6() -> None:
    assert codes("roles") == (
        "counselor",
        "coordinator",
        "manager",
        "city_official",
        "auditor",
        "partner",  # 連携機関の担当者 (kasane.reference.partners)
    )


def test_age_bands_are_decades_then_90_plus() -> None:
    assert codes("age_bands") == (
        "0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+",
    )  # fmt: skip


def test_every_enumeration_has_a_japanese_name_and_labels() -> None:
    for name in enumeration_names():
        assert enumeration_label(name)  # type: ignore[arg-type]
        assert all(labels(name).values())  # type: ignore[arg-type]


def test_is_valid() -> None:
    assert is_valid("channels", "phone")
    assert not is_valid("channels", "fax")
    assert not is_valid("channels", "電話")  # labels are not codes


def test_labels_returns_a_copy() -> None:
    labels("channels")["phone"] = "changed"
    assert labels("channels")["phone"] == "電話"


def test_unknown_enumeration_or_code_raises() -> None:
    with pytest.raises(UnknownReferenceCodeError, match="chanels"):
        is_valid("chanels", "phone")  # type: ignore[arg-type]
    with pytest.raises(UnknownReferenceCodeError, match="fax"):
        label_of("channels", "fax")
