"""Which agency a 見守りネットワーク concern, or a referral into a program, goes to (pure).

By the concern's first single-domain issue: 高齢 → the 地域包括支援センター of the 校区's
日常生活圏域, 障害 → the 障害者基幹相談支援センター covering that area, 子ども → こども子育て
サポートセンター, 生活困窮 → 生活自立支援センター. With no domain (or only cross-domain codes) the
area's 地域包括支援センター takes it: it is the nearest front door, and 包括的相談支援 means
any agency accepts any consultation and connects it onwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from kasane.reference.centre_areas import centre_for_area
from kasane.reference.issue_codes import get_issue_code, is_valid_issue_code
from kasane.reference.school_districts import get_school_district


def houkatsu_for_area(area: str) -> str:
    # 担当圏域 are reference data the city imports (kasane.reference.centre_areas).
    return centre_for_area("elderly", area)


def kikan_for_area(area: str) -> str:
    return centre_for_area("disability", area)


def responsible_agency(school_district_code: str, issue_codes: Sequence[str]) -> str:
    area = get_school_district(school_district_code).daily_life_area
    for code in issue_codes:
        if not is_valid_issue_code(code):
            continue
        domain = get_issue_code(code).domain
        if domain == "elderly":
            return houkatsu_for_area(area)
        if domain == "disability":
            return kikan_for_area(area)
        if domain == "child":
            return "kodomo"
        if domain == "poverty":
            return "jiritsu"
    return houkatsu_for_area(area)
