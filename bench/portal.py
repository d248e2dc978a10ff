"""Benchmark: staff portal page response times with 20 concurrent signed-in staff.

    .venv/bin/python -m bench.portal                  # 20 staff, 10 rounds of every page
    make bench-portal BENCH_ARGS="--staff 20 --rounds 20"

Starts the seven services and the portal as child processes (as deployed: real HTTP between
them) on the shared or local Kafka + PostgreSQL and a real Keycloak
(``kasane_dev.testing.infra``), creates one Keycloak user per simulated staff member and signs
each in once through Keycloak's own login form (httpx following the redirects, as a browser
would). Then ``--staff`` workers, each with its own portal session, request the pages in
turn (home, case list, case page, person search POST, referral page) for ``--rounds``
rounds. The raw baseline, in the same run and against the same services: the same workers
make the service API calls each page makes, directly with a token of their agency, no
portal. Reports p50/p95/p99 per page and the portal / raw ratios. A page the portal does not
serve (404: not on this branch) is reported as absent. Nothing asserts on timings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import random
import re
import sys
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.consultations import STATE, configure, delete_topics, drop_databases, stop_child
from bench.report import write_json
from bench.stats import latency_ms, ratio
from kasane.auth.tokens import mint_dev_token
from kasane.bus.credentials import ADMIN, kafka_access
from kasane.db.urls import database_url
from kasane.events.topics import dlq_topic_for, topic_for
from kasane.reference.agencies import consultation_agencies
from kasane.settings import SERVICES, Settings
from kasane_dev.local.keycloak_realm import REALM
from kasane_dev.local.net import free_port
from kasane_dev.testing.infra import TestKeycloak, test_infra, test_keycloak
from kasane_dev.testing.services import ChildService, prepare_database, start_child

PAGES = ("home", "case_list", "case_page", "search", "referral")
GOAL_P95_MS = 300.0
PASSWORD = "Bench-password-2025"
FORM_ACTION = re.compile(r'<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.portal", description=__doc__)
    parser.add_argument("--staff", type=int, default=20, help="concurrent signed-in staff")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of every page per staff")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a person reads a page before the next (exponential); 0: no pause,"
        " every staff member clicking without stop (a stress test)",
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="global budget, seconds")
    parser.add_argument(
        "--infra-state",
        type=Path,
        default=Path(os.environ.get("KASANE_BENCH_STATE_DIR", STATE / "bench-infra")),
    )
    parser.add_argument("--out", type=Path, default=STATE / "bench", help="JSON results folder")
    args = parser.parse_args(argv)
    if args.staff < 1 or args.rounds < 1:
        parser.error("--staff and --rounds must be at least 1")
    return args


@dataclass
class Staff:
    """One simulated staff member: their agency, a portal session, their own case."""

    username: str
    agency: str
    token: str  # a dev token of the agency, for the raw baseline
    portal: httpx.AsyncClient | None = None
    csrf: str = ""
    case_id: str = ""
    referral_id: str = ""
    kana: str = ""


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    statuses: dict[str, dict[str, int]] = field(default_factory=lambda: {p: {} for p in PAGES})

    def add(self, page: str, status: int, took: float) -> None:
        counts = self.statuses[page]
        counts[str(status)] = counts.get(str(status), 0) + 1
        if 200 <= status < 300:
            self.seconds[page].append(took)

    def summary(self) -> dict[str, Any]:
        return {
            p: {**latency_ms(self.seconds[p]).as_dict(), "statuses": self.statuses[p]}
            for p in PAGES
        }


class KeycloakUsers:
    """Creates (and at the end deletes) the bench's users through the admin REST API."""

    def __init__(self, kc: TestKeycloak, http: httpx.AsyncClient) -> None:
        self.kc, self.http = kc, http
        self.created: list[str] = []

    async def _headers(self) -> dict[str, str]:
        answer = await self.http.post(
            f"{self.kc.base_url}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": "admin",
                "password": self.kc.admin_password,
            },
        )
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    async def create(self, username: str, agency: str, role: str) -> None:
        base = f"{self.kc.base_url}/admin/realms/{REALM}"
        headers = await self._headers()
        made = await self.http.post(
            f"{base}/users",
            headers=headers,
            json={
                "username": username,
                "enabled": True,
                "email": f"{username}@example.invalid",
                "emailVerified": True,
                "firstName": "ベンチ",
                "lastName": "職員",
                "credentials": [{"type": "password", "value": PASSWORD, "temporary": False}],
                "groups": [f"/{agency}"],
            },
        )
        made.raise_for_status()
        user_id = made.headers["location"].rsplit("/", 1)[1]
        self.created.append(user_id)
        role_rep = (await self.http.get(f"{base}/roles/{role}", headers=headers)).json()
        mapped = await self.http.post(
            f"{base}/users/{user_id}/role-mappings/realm", headers=headers, json=[role_rep]
        )
        mapped.raise_for_status()

    async def delete_all(self) -> None:
        headers = await self._headers()
        for user_id in self.created:
            await self.http.delete(
                f"{self.kc.base_url}/admin/realms/{REALM}/users/{user_id}", headers=headers
            )


async def sign_in(portal_url: str, staff: Staff) -> None:
    """Once per staff member, as a browser does: the portal sends us to Keycloak's form, we
    post it, Keycloak sends us back with a code, the portal sets its session cookie."""
    client = httpx.AsyncClient(base_url=portal_url, follow_redirects=True, timeout=60)
    form = await client.get("/auth/login", params={"return_to": "/"})
    found = FORM_ACTION.search(form.text)
    if found is None:
        raise RuntimeError(f"no Keycloak login form for {staff.username}: {form.status_code}")
    # Keycloak marks its cookies Secure; a browser keeps them on http://127.0.0.1 (a
    # trustworthy origin), httpx's cookie jar does not: carry them by hand to the form post.
    kept = [
        value.split(";", 1)[0]
        for answer in (*form.history, form)
        if not str(answer.url).startswith(portal_url)
        for value in answer.headers.get_list("set-cookie")
    ]
    posted = await client.post(
        html.unescape(found.group(1)),
        data={"username": staff.username, "password": PASSWORD, "credentialId": ""},
        headers={"Cookie": "; ".join(kept)},
        follow_redirects=False,
    )
    back = posted.headers.get("location", "")
    if not back.startswith(portal_url):
        raise RuntimeError(f"sign-in of {staff.username}: {posted.status_code}, not sent back")
    home = await client.get(back)
    token = CSRF.search(home.text)
    if home.status_code != 200 or token is None or not str(home.url).startswith(portal_url):
        raise RuntimeError(f"sign-in of {staff.username} ended at {home.url} ({home.status_code})")
    staff.portal, staff.csrf = client, token.group(1)


async def _created(answer: httpx.Response) -> dict[str, Any]:
    if answer.status_code != 201:
        raise RuntimeError(f"{answer.request.url}: {answer.status_code} {answer.text[:200]}")
    found: dict[str, Any] = answer.json()
    return found


async def arrange_case(urls: dict[str, str], staff: Staff, receiver: str) -> None:
    """The staff member's agency gets an open case with consent to share with ``receiver``
    (through intake's API); the referral is sent once referral has learned the consent."""
    headers = {"Authorization": f"Bearer {staff.token}"}
    staff.kana = "ベンチ " + "".join(
        "アイウエオカキクケコサシスセソタ"[int(c, 16)] for c in uuid.uuid4().hex[:6]
    )
    async with httpx.AsyncClient(base_url=urls["intake"], headers=headers, timeout=60) as intake:
        person = await _created(
            await intake.post(
                "/persons",
                json={
                    "name": "久留米 太郎",
                    "kana": staff.kana,
                    "birth_date": "1970-04-01",
                    "sex": "male",
                    "address": "久留米市城南町",
                    "school_district_code": "05",
                },
            )
        )
        opened = await _created(
            await intake.post(
                "/consultations",
                json={
                    "received_at": "2026-11-30T10:00:00+09:00",
                    "issue_codes": ["poverty", "hikikomori"],
                    "age_band": "50-59",
                    "school_district_code": "05",
                    "channel": "in_person",
                    "consulted_by": "self",
                    "narrative": "ベンチ用の相談。",
                    "person_id": person["person_id"],
                },
            )
        )
        staff.case_id = opened["case_id"]
        await _created(
            await intake.post(
                f"/cases/{staff.case_id}/consents",
                json={
                    "person_id": person["person_id"],
                    "scope": {"agencies": [receiver], "programs": [], "meeting_types": []},
                    "method": "written",
                    "consented_on": date.today().isoformat(),
                    "expires_on": None,
                },
            )
        )


async def send_referrals(settings: Settings, urls: dict[str, str], staff: list[Staff]) -> None:
    dsn = database_url(settings.database_url, f"referral{settings.database_suffix}")
    conn = await asyncpg.connect(dsn)
    try:
        cases = [uuid.UUID(s.case_id) for s in staff]
        for _ in range(600):
            known = await conn.fetchval(
                "SELECT count(DISTINCT case_id) FROM consents WHERE case_id = ANY($1)", cases
            )
            if known == len(set(cases)):
                break
            await asyncio.sleep(0.2)
    finally:
        await conn.close()
    async with httpx.AsyncClient(base_url=urls["referral"], timeout=60) as referral:
        for s, receiver in zip(staff, _receivers(staff), strict=True):
            sent = await _created(
                await referral.post(
                    "/referrals",
                    json={"case_id": s.case_id, "to_agency": receiver, "reason_codes": ["poverty"]},
                    headers={"Authorization": f"Bearer {s.token}"},
                )
            )
            s.referral_id = sent["referral_id"]


def _receivers(staff: list[Staff]) -> list[str]:
    agencies = [a.id for a in consultation_agencies()]
    return [agencies[(agencies.index(s.agency) + 1) % len(agencies)] for s in staff]


# --- one page, the portal way and the raw way -------------------------------------------------


def portal_request(staff: Staff, page: str) -> Awaitable[httpx.Response]:
    client = staff.portal
    assert client is not None
    if page == "home":
        return client.get("/")
    if page == "case_list":
        return client.get("/cases")
    if page == "case_page":
        return client.get(f"/cases/{staff.case_id}")
    if page == "search":
        return client.post("/persons/search", data={"csrf_token": staff.csrf, "kana": staff.kana})
    return client.get(f"/referrals/{staff.referral_id}")


def raw_calls(
    http: httpx.AsyncClient, urls: dict[str, str], staff: Staff, page: str
) -> list[Awaitable[httpx.Response]]:
    """The service calls behind each page (made at once, as the portal's use cases do)."""
    h = {"Authorization": f"Bearer {staff.token}"}
    intake, referral = urls["intake"], urls["referral"]
    if page == "home":
        return [
            http.get(f"{intake}/queue", params={"limit": 20}, headers=h),
            http.get(f"{intake}/cases", params={"status": "open", "limit": 20}, headers=h),
            http.get(
                f"{referral}/referrals",
                params={"direction": "received", "status": "requested", "limit": 20},
                headers=h,
            ),
            http.get(
                f"{referral}/referrals",
                params={"direction": "received", "overdue": "true", "limit": 20},
                headers=h,
            ),
        ]
    if page == "case_list":
        params: dict[str, str | int] = {"status": "open", "names": "true", "limit": 50}
        return [http.get(f"{intake}/cases", params=params, headers=h)]
    if page == "case_page":
        return [
            http.get(f"{intake}/cases/{staff.case_id}", headers=h),
            http.get(f"{intake}/cases/{staff.case_id}/records", headers=h),
            http.get(f"{referral}/referrals", params={"case_id": staff.case_id}, headers=h),
        ]
    if page == "search":
        return [http.post(f"{intake}/persons/search", json={"kana": staff.kana}, headers=h)]
    return [http.get(f"{referral}/referrals/{staff.referral_id}", headers=h)]


async def timed(
    call: Callable[[Staff, str], Awaitable[int]], member: Staff, page: str
) -> tuple[int, float]:
    begin = time.perf_counter()
    try:
        status = await call(member, page)
    except httpx.HTTPError:
        status = 0
    return status, time.perf_counter() - begin


async def run_phase(
    staff: list[Staff],
    pages: list[str],
    rounds: int,
    call: Callable[[Staff, str], Awaitable[int]],
    think_s: float = 0.0,
) -> tuple[Timings, float]:
    timings = Timings()
    begin = time.perf_counter()
    pause = random.Random(7)  # the same think times in both phases

    async def worker(index: int, member: Staff) -> None:
        for r in range(rounds):
            # Staff start on different pages, so every page is under load all along.
            for k in range(len(pages)):
                page = pages[(index + r + k) % len(pages)]
                status, took = await timed(call, member, page)
                timings.add(page, status, took)
                if think_s > 0:  # a person reads the page before the next click
                    await asyncio.sleep(pause.expovariate(1 / think_s))

    await asyncio.gather(*(worker(i, s) for i, s in enumerate(staff)))
    return timings, time.perf_counter() - begin


class Bench:
    def __init__(self, args: argparse.Namespace, settings: Settings, kc: TestKeycloak) -> None:
        self.args, self.settings, self.kc = args, settings, kc
        self.children: list[ChildService] = []
        self.staff: list[Staff] = []
        self.results: dict[str, Any] = {}
        self.phase = "starting"

    async def start_stack(self, logs: Path) -> dict[str, str]:
        for name in (*SERVICES, "portal"):
            await prepare_database(name, self.settings)
        env = {
            **{k: v for k, v in os.environ.items() if k.startswith("KASANE_")},
            "KASANE_OIDC_ISSUERS": json.dumps([self.kc.issuer]),
        }
        started = await asyncio.gather(
            *(start_child(n, free_port(), env, logs / f"{n}.log", 180) for n in SERVICES)
        )
        self.children = list(started)
        urls = {c.name: c.base_url for c in started}
        portal = await start_child(
            "portal",
            free_port(),
            {**env, "KASANE_SERVICE_URLS": json.dumps(urls)},
            logs / "portal.log",
            180,
        )
        self.children.append(portal)
        return {**urls, "portal": portal.base_url}

    async def run(self, logs: Path) -> None:
        self.phase = "stack"
        urls = await self.start_stack(logs)
        agencies = [a.id for a in consultation_agencies()]
        async with httpx.AsyncClient(timeout=60) as admin_http:
            users = KeycloakUsers(self.kc, admin_http)
            try:
                await self._measure(urls, agencies, users)
            finally:
                with contextlib.suppress(Exception):
                    await users.delete_all()

    async def _measure(
        self, urls: dict[str, str], agencies: list[str], users: KeycloakUsers
    ) -> None:
        self.phase = "users and sign-in"
        suffix = uuid.uuid4().hex[:6]
        for i in range(self.args.staff):
            agency = agencies[i % len(agencies)]
            username = f"bench-{suffix}-{i:02d}"
            await users.create(username, agency, "counselor")
            token = mint_dev_token(self.settings.keys_dir, f"bench-{i}", agency, ["counselor"])
            self.staff.append(Staff(username, agency, token))
        begin = time.perf_counter()
        for s in self.staff:  # one at a time: sign-in is not what is measured
            await sign_in(urls["portal"], s)
        self.results["sign_in_s_each"] = (time.perf_counter() - begin) / len(self.staff)
        self.phase = "data"
        for s, receiver in zip(self.staff, _receivers(self.staff), strict=True):
            await arrange_case(urls, s, receiver)
        await send_referrals(self.settings, urls, self.staff)

        self.phase = "which pages exist"
        pages = []
        for page in PAGES:
            answer = await portal_request(self.staff[0], page)
            if answer.status_code == 404:
                print(f"[bench] portal page {page!r}: 404, not on this branch; skipped")
            else:
                pages.append(page)
        self.results["pages_measured"] = pages
        self.results["pages_absent"] = [p for p in PAGES if p not in pages]
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(timeout=60, limits=limits) as http:

            async def raw(member: Staff, page: str) -> int:
                answers = await asyncio.gather(*raw_calls(http, urls, member, page))
                return max(a.status_code for a in answers)

            async def portal(member: Staff, page: str) -> int:
                return (await portal_request(member, page)).status_code

            self.phase = "warm-up"
            await run_phase(self.staff, pages, 1, raw)
            await run_phase(self.staff, pages, 1, portal)
            self.phase = "raw"
            raw_t, raw_wall = await run_phase(
                self.staff, pages, self.args.rounds, raw, self.args.think
            )
            self.phase = "portal"
            portal_t, portal_wall = await run_phase(
                self.staff, pages, self.args.rounds, portal, self.args.think
            )
        self.results["raw"] = {"wall_s": raw_wall, "pages": raw_t.summary()}
        self.results["portal"] = {"wall_s": portal_wall, "pages": portal_t.summary()}
        self.phase = "done"

    async def cleanup(self) -> None:
        for s in self.staff:
            if s.portal is not None:
                with contextlib.suppress(Exception):
                    await s.portal.aclose()
        await asyncio.gather(*(stop_child(c) for c in self.children), return_exceptions=True)
        st = self.settings
        names = [f"{n}{st.database_suffix}" for n in (*SERVICES, "portal")]
        with contextlib.suppress(Exception):
            await drop_databases(st.database_url, names)
        topics = [topic_for(n, st.topic_namespace) for n in SERVICES]
        topics += [dlq_topic_for(n, st.topic_namespace) for n in SERVICES]
        with contextlib.suppress(Exception):
            await asyncio.wait_for(delete_topics(kafka_access(st, ADMIN), topics), 30)


def render(results: dict[str, Any]) -> str:
    lines = [
        f"portal pages, {results['staff']} concurrent signed-in staff, {results['rounds']} rounds,"
        f" think time {results.get('think_s', 0)} s"
        f" (load average before: {results.get('load_before')})",
        f"{'page':<11} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" | {'raw p50':>8} {'raw p95':>8} {'raw p99':>8} | {'p95/raw':>7}  goal p95≤300",
    ]
    portal = (results.get("portal") or {}).get("pages", {})
    raw = (results.get("raw") or {}).get("pages", {})
    for page in results.get("pages_measured", []):
        p, r = portal.get(page, {}), raw.get(page, {})
        if not p:
            continue
        goal = "met" if p["p95_ms"] <= GOAL_P95_MS else "NOT met"
        lines.append(
            f"{page:<11} {p['count']:>5} {p['p50_ms']:>8.0f} {p['p95_ms']:>8.0f}"
            f" {p['p99_ms']:>8.0f} | {r.get('p50_ms', float('nan')):>8.0f}"
            f" {r.get('p95_ms', float('nan')):>8.0f} {r.get('p99_ms', float('nan')):>8.0f}"
            f" | {ratio(p['p95_ms'], r.get('p95_ms', float('nan'))):>7.2f}  {goal}"
        )
    for page in results.get("pages_absent", []):
        lines.append(f"{page:<11} absent (the portal answers 404 on this branch)")
    return "\n".join(lines)


async def run_bench(
    args: argparse.Namespace, settings: Settings, kc: TestKeycloak, logs: Path
) -> dict[str, Any]:
    bench = Bench(args, settings, kc)
    try:
        async with asyncio.timeout(args.timeout):
            await bench.run(logs)
    except (TimeoutError, asyncio.CancelledError):
        bench.results["error"] = f"stopped in phase {bench.phase!r}"
    except Exception as exc:
        traceback.print_exc()
        bench.results["error"] = f"{type(exc).__name__}: {exc} (phase {bench.phase!r})"
    finally:
        await asyncio.shield(bench.cleanup())
    return bench.results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = uuid.uuid4().hex[:8]
    stamp = datetime.now().astimezone().strftime("%Y%m%dT%H%M%S")
    results: dict[str, Any] = {
        "benchmark": "portal",
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "staff": args.staff,
        "rounds": args.rounds,
        "think_s": args.think,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 1) for x in os.getloadavg()],
        "python": sys.version.split()[0],
    }
    run_dir = args.out / f"run-{stamp}-{run_id}"
    try:
        with (
            test_infra(args.infra_state, report=lambda line: print(f"[infra] {line}")) as infra,
            test_keycloak(run_dir / "keycloak", STATE / "cache") as kc,
        ):
            settings = configure(infra, run_id, run_dir)
            (run_dir / "logs").mkdir(parents=True, exist_ok=True)
            results.update(asyncio.run(run_bench(args, settings, kc, run_dir / "logs")))
    except KeyboardInterrupt:
        results["error"] = "interrupted"
    results["load_after"] = [round(x, 1) for x in os.getloadavg()]
    results["status"] = (
        "complete" if "portal" in results and "error" not in results else "incomplete"
    )
    path = args.out / f"portal-{stamp}.json"
    write_json(results, path)
    print()
    print(render(results))
    print(f"\nJSON: {path}")
    return 0 if results["status"] == "complete" else 1


if __name__ == "__main__":
    raise SystemExit(main())
