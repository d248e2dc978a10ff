import pytest

from kasane.reference import (
    SINGLE_DOMAINS,
    UnknownReferenceCodeError,
    domains_of,
    get_issue_code,
    is_complex,
    is_valid,
    is_valid_issue_code,
    issue_code_labels,
    issue_codes,
)

# docs/architecture/domain-rules.md, code → label, in its order.
DESIGN_CODES = {
    "elderly_care": "高齢・介護",
    "disability": "障害",
    "childrearing": "子育て",
    "poverty": "生活困窮",
    "hikikomori": "ひきこもり",
    "8050": "8050",
    "double_care": "ダブルケア",
    "young_carer": "ヤングケアラー",
    "isolation": "社会的孤立",
    "housing": "住まい",
    "employment": "就労",
    "debt": "債務",
    "abuse_dv": "DV・虐待",
    "mental_health": "精神的困難",
    "school_refusal": "不登校",
    "foreign_language": "外国籍・言語",
    "self_neglect": "セルフネグレクト",
    "other": "その他",
}


def test_all_18_codes_with_design_labels() -> None:
    assert issue_code_labels() == DESIGN_CODES
    assert list(issue_code_labels()) == list(DESIGN_CODES)


def test_primary_domains_of_single_domain_codes() -> None:
    expected = {
        "elderly_care": "elderly",
        "disability": "disability",
        "childrearing": "child",
        "poverty": "poverty",
        "school_refusal": "child",
        "young_carer": "child",
        "debt": "poverty",
        "abuse_dv": "cross_domain",
        "8050": "cross_domain",
        "double_care": "cross_domain",
    }
    assert {code: get_issue_code(code).domain for code in expected} == expected


def test_every_domain_is_a_known_enumeration_code() -> None:
    for issue in issue_codes():
        assert is_valid("domains", issue.domain)
        assert all(is_valid("domains", d) for d in issue.implied_domains)


def test_one_domain_alone_is_not_complex() -> None:
    assert not is_complex(["elderly_care"])
    assert not is_complex(["poverty", "debt"])  # both 生活困窮
    assert not is_complex(["childrearing", "school_refusal"])  # both 子ども


def test_two_single_domains_are_complex() -> None:
    assert is_complex(["elderly_care", "disability"])
    assert is_complex(["childrearing", "poverty"])


@pytest.mark.parametrize("code", ["8050", "double_care", "young_carer"])
def test_household_situations_are_complex_on_their_own(code: str) -> None:
    assert is_complex([code])


def test_8050_implies_elderly_and_poverty() -> None:
    assert domains_of(["8050"]) == {"elderly", "poverty"}


def test_cross_domain_counts_as_a_domain() -> None:
    assert is_complex(["elderly_care", "hikikomori"])
    assert not is_complex(["hikikomori"])
    assert not is_complex(["hikikomori", "isolation", "mental_health"])


def test_other_never_makes_a_case_complex() -> None:
    assert not is_complex(["other"])
    assert not is_complex(["elderly_care", "other"])


def test_no_codes_is_not_complex() -> None:
    assert not is_complex([])


def test_every_code_but_other_implies_at_least_one_domain() -> None:
    empty = {c.code for c in issue_codes() if not c.implied_domains}
    assert empty == {"other"}
    assert set(SINGLE_DOMAINS) <= {d for c in issue_codes() for d in c.implied_domains}


def test_unknown_code_raises() -> None:
    assert not is_valid_issue_code("gambling")
    with pytest.raises(UnknownReferenceCodeError, match="gambling"):
        is_complex(["elderly_care", "gambling"])


def test_unknown_code_is_a_value_error_for_pydantic_validators() -> None:
    with pytest.raises(ValueError):
        get_issue_code("gambling")


def test_bare_string_is_rejected() -> None:
    with pytest.raises(TypeError):
        is_complex("8050")
