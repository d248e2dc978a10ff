"""Role-aware navigation: each staff member sees only the screens their agency and role
may use. The services enforce the same rules on every call; this only keeps people from
links that would end in 403, and keeps person-level screens out of the city's menu."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kasane.auth.principal import Principal
from kasane.reference.agencies import ServiceName, get_agency, is_known_agency, operators_of
from kasane.reference.partners import is_known_partner, party_name
from portal.domain.community import reported_programs

CASE_WORK = frozenset({"counselor", "coordinator", "manager"})
PROGRAM_WORK = frozenset({"coordinator", "manager"})  # a program operator's staff


def _kind(principal: Principal) -> str:
    return get_agency(principal.agency).kind if is_known_agency(principal.agency) else ""


def is_partner(principal: Principal) -> bool:
    """A 連携機関's staff (role ``partner``): they answer the referrals addressed to their
    organisation and see nothing else of the 体制 (docs/architecture/partners.md)."""
    return "partner" in principal.roles and is_known_partner(principal.agency)


def works_cases(principal: Principal) -> bool:
    """相談員 and the operators' staff: person-level screens. Never the city."""
    return _kind(principal) != "city_department" and bool(principal.roles & CASE_WORK)


def _operates(service: ServiceName, principal: Principal) -> bool:
    """The agency runs this program (kasane.reference: the one table saying who operates
    what) and the user is its coordinator or manager."""
    operators = {a.id for a in operators_of(service)}
    return principal.agency in operators and bool(principal.roles & PROGRAM_WORK)


def works_outreach(principal: Principal) -> bool:
    """アウトリーチ等を通じた継続的支援事業の担当者 (the operator's staff)."""
    return _operates("outreach", principal)


def works_participation(principal: Principal) -> bool:
    """参加支援事業の担当者 (the operator's staff)."""
    return _operates("participation", principal)


def takes_consultations(principal: Principal) -> bool:
    """相談受付 is the consultation agencies' work (intake refuses anyone else)."""
    return works_cases(principal) and _kind(principal) == "consultation_agency"


def works_community(principal: Principal) -> bool:
    """地域づくりに向けた支援事業の担当者 (the operator's staff: 社協)."""
    return _operates("community", principal)


def reports_program_activity(principal: Principal) -> bool:
    """The operator of a 地域づくり program (社協, or a city section for a 直営 one): the
    programs it reports are ``portal.domain.community.reported_programs`` (one rule)."""
    return bool(reported_programs(principal.agency, principal.roles))


def runs_meetings(principal: Principal) -> bool:
    """多機関協働事業者 (社協) staff: the meetings calendar, decisions and minutes."""
    return _operates("meetings", principal)


def answers_referrals(principal: Principal) -> bool:
    """つなぎ: case workers send and answer referrals; a 連携機関 answers those addressed to
    it (the referral service limits each to its own)."""
    return works_cases(principal) or is_partner(principal)


def reads_referred_cases(principal: Principal) -> bool:
    """A 連携機関's staff read the case summary of a referral addressed to them (case workers
    keep their own case screens). Whether the organisation may hold case access and the
    referral is live, intake decides on every read; its refusal is the page's answer."""
    return is_partner(principal)


def audits_access(principal: Principal) -> bool:
    return "auditor" in principal.roles


def reads_city_figures(principal: Principal) -> bool:
    return _kind(principal) == "city_department" and bool(
        principal.roles & {"city_official", "manager"}
    )


REFUSED = "この画面は使えません"


@dataclass(frozen=True)
class Screen:
    """A screen of the menu and its rule: the menu shows it to whom ``allowed`` says, and its
    routes refuse everyone else with the 403 page (``portal.api.deps.require``)."""

    path: str
    label: str  # what staff read in the menu
    allowed: Callable[[Principal], bool]
    refusal: str = ""  # what the 403 page says to anyone else
    refusal_title: str = REFUSED
    in_menu: bool = True  # False: reached from another page (e.g. one record's), not the menu


_CASE_WORKERS_ONLY = "ケースを担当する職員のみが使える画面です。"
_COMMUNITY_ONLY = "地域づくり事業（社協）の担当者のみが使える画面です。"

SCREENS: tuple[Screen, ...] = (
    Screen("/", "ホーム", lambda p: True),
    Screen("/persons/search", "本人検索", works_cases, "個人の記録を扱う権限がありません。"),
    Screen(
        "/consultations/new",
        "相談受付",
        takes_consultations,
        "相談受付は相談支援機関の職員が行います。",
    ),
    Screen("/cases", "ケース一覧", works_cases, _CASE_WORKERS_ONLY),
    Screen(
        "/referrals",
        "つなぎ（紹介）の受付",
        answers_referrals,
        "つなぎ（紹介）を扱う権限がありません。",
    ),
    Screen(
        "/referrals/{referral_id}/case",
        "つなぎのケースの概要",
        reads_referred_cases,
        "連携機関の担当者のみが使える画面です。ケースの画面をお使いください。",
        in_menu=False,
    ),
    Screen(
        "/outreach",
        "アウトリーチ",
        works_outreach,
        "アウトリーチ事業の担当者のみが使える画面です。",
    ),
    Screen(
        "/participation",
        "参加支援",
        works_participation,
        "参加支援事業の担当者のみが使える画面です。",
    ),
    Screen(
        "/meetings",
        "会議（多機関協働）",
        runs_meetings,
        "多機関協働事業者（社協）の担当者のみが使える画面です。",
    ),
    Screen("/community/watch-visits", "見守り訪問件数", works_community, _COMMUNITY_ONLY),
    Screen("/community/concerns", "見守り通報の受付", works_community, _COMMUNITY_ONLY),
    Screen("/community/councils", "支え合い推進会議", works_community, _COMMUNITY_ONLY),
    Screen("/community/resources", "社会資源の台帳", works_community, _COMMUNITY_ONLY),
    Screen("/community/activity", "地域づくり活動実績", reports_program_activity, _COMMUNITY_ONLY),
    Screen(
        "/city",
        "目標・評価指標",
        reads_city_figures,
        "市（地域福祉課）の職員のみが使える画面です。",
    ),
    Screen(
        "/access-log",
        "開示請求（アクセス記録）",
        audits_access,
        "開示請求の画面は監査担当だけが使えます。",
        "権限がありません",
    ),
)


def screen(path: str) -> Screen:
    """The menu's screen at ``path`` (a route guard names it; an unknown path is a bug)."""
    for found in SCREENS:
        if found.path == path:
            return found
    raise KeyError(path)


def menu(principal: Principal) -> list[Screen]:
    return [s for s in SCREENS if s.in_menu and s.allowed(principal)]


def agency_name(agency_id: str) -> str:
    return party_name(agency_id)  # an agency or a 連携機関; an unknown id as itself


ROLE_LABELS = {
    "counselor": "相談員",
    "coordinator": "コーディネーター",
    "manager": "管理者",
    "city_official": "市職員",
    "auditor": "監査担当",
    "partner": "連携機関の担当者",
}


def role_labels(principal: Principal) -> str:
    return "・".join(ROLE_LABELS.get(r, r) for r in sorted(principal.roles))
