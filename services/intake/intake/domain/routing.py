"""Which agency a 見守りネットワーク concern, or a referral into a program, goes to (pure).

By the concern's first single-domain issue: 高齢 → the 地域包括支援センター of the 校区's
日常生活圏域, 障害 → the 障害者基幹相談支援センター covering that area, 子ども → こども子育て
サポートセンター, 生活困窮 → 生活自立支援センター. With no domain (or only cross-domain codes) the
area's 地域包括支援センター takes it: it is the nearest front door, and 包括的相談支援 means
any agency accepts any consultation and connects it onwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from kasane.reference.issue_codes import get_issue_code, is_valid_issue_code
from kasane.reference.school_districts import get_school_district

AREAS = 11  # 日常生活圏域, one per 地域包括支援センター
KIKAN = 4  # 障害者基幹相談支援センター, each covering several areas


def houkatsu_for_area(area: str) -> str:
    return f"houkatsu-{int(area):02d}"


def kikan_for_area(area: str) -> str:
    # Contiguous blocks of areas per centre (01-03 → kikan-01, …); sample assignment until
    # the city's own table is loaded with the official 校区 list.
    return f"kikan-{(int(area) - 1) * KIKAN // AREAS + 1:02d}"


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
