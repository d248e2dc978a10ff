"""Embedded Keycloak (the identity provider) from Maven Central, run as a JVM process.

Same pattern as kasane_dev.local.kafka: every function takes the state folder and port
explicitly, so a test session can run its own Keycloak next to the developer's one.
`start-dev` keeps its data in an embedded H2 database under the state folder; it is for a
developer's machine and tests only (a city runs Keycloak with its own database).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import time
import zipfile
from functools import partial
from pathlib import Path

import httpx

from kasane_dev.local.errors import LocalInfraError
from kasane_dev.local.keycloak_realm import (
    ADMIN_USER,
    ARTIFACT,
    CLI_CLIENT,
    REALM,
    VERSION,
    KeycloakLayout,
    import_refusal,
    issuer_url,
    load_realm,
    local_base_url,
    realm_for_import,
)
from kasane_dev.local.logs import tail
from kasane_dev.local.net import port_open
from kasane_dev.local.pids import running_pid, terminate_group, write_pid
from kasane_dev.local.prerequisites import require_java, require_maven
from kasane_dev.local.started import Started

START_TIMEOUT_S = 240.0  # first start on a busy 2-core box: build + schema + import
STOP_TIMEOUT_S = 30.0
# Keycloak's own default outside containers; stated so `kasane up` never takes 1/4 of RAM.
JVM_HEAP = "-Xms64m -Xmx512m"
# C1 only: on a small busy box the C2 compiler threads compete with start-up for the CPU
# (dev and tests only; a city runs its own Keycloak).
JVM_APPEND = "-XX:TieredStopAtLevel=1"


def _markers(layout: KeycloakLayout) -> tuple[str, ...]:
    # kc.sh (the group leader) runs bin/kc.sh; after a first-start build it exec()s the JVM,
    # whose -Dkc.home.dir=<home>/bin/.. still names this home.
    return (f"{layout.home}/bin",)


def fetch_distribution(layout: KeycloakLayout) -> bool:
    """Download (Maven, cached in ~/.m2) and unpack the distribution once; True if it ran."""
    if (layout.dist / "bin" / "kc.sh").exists():
        return False
    mvn = require_maven()
    layout.download_dir.mkdir(parents=True, exist_ok=True)
    zip_path = layout.download_dir / f"keycloak-quarkus-dist-{VERSION}.zip"
    if not zip_path.exists():
        cmd = [
            mvn, "-B", "-q", "dependency:copy", f"-Dartifact={ARTIFACT}",
            f"-DoutputDirectory={layout.download_dir}",
        ]  # fmt: skip
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not zip_path.exists():
            detail = (result.stdout + result.stderr).strip().splitlines()[-5:]
            raise LocalInfraError(
                f"Fetching Keycloak {VERSION} with Maven failed (is Maven Central reachable?): "
                f"{' | '.join(detail)}"
            )
    # Unpack next to the target and rename: a concurrent reader never sees half a tree.
    staging = layout.download_dir / f".unpack-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(staging)
    for script in (staging / f"keycloak-{VERSION}" / "bin").glob("*.sh"):
        script.chmod(0o755)
    try:
        (staging / f"keycloak-{VERSION}").rename(layout.dist)
    except OSError:
        if not (layout.dist / "bin" / "kc.sh").exists():
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    zip_path.unlink(missing_ok=True)  # ~/.m2 keeps the download
    return True


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system: a real copy
        shutil.copy2(src, dst)


def _not_linked(dist: Path, folder: str, names: list[str]) -> set[str]:
    # Only <dist>/data and <dist>/lib/quarkus: a name alone could match deeper folders.
    here = Path(folder)
    if here == dist:
        return {"data"} & set(names)
    if here == dist / "lib":
        return {"quarkus"} & set(names)
    return set()


def install_home(layout: KeycloakLayout) -> bool:
    """This state folder's Keycloak home, linked from the distribution; True if created.

    lib/quarkus is copied, not linked: Keycloak rewrites it when its build options change,
    and that must never write through a link into the shared distribution.
    """
    if layout.kc_sh.exists():
        return False
    staging = layout.root / ".home-staging"
    shutil.rmtree(staging, ignore_errors=True)
    layout.root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        layout.dist,
        staging,
        symlinks=True,
        copy_function=_link_or_copy,
        ignore=partial(_not_linked, layout.dist),
    )
    quarkus = layout.dist / "lib" / "quarkus"
    if quarkus.exists():
        shutil.copytree(quarkus, staging / "lib" / "quarkus")
    staging.rename(layout.home)
    return True


def _publish_augmentation(layout: KeycloakLayout) -> None:
    """Copy this home's build result back to the distribution, once (saves later starts)."""
    if layout.augmented_marker.exists():
        return
    built = layout.home / "lib" / "quarkus"
    target = layout.dist / "lib" / "quarkus"
    staging = layout.dist / "lib" / f".quarkus-{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(built, staging)
        (staging / layout.augmented_marker.name).write_text(VERSION + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # an optimisation only


def admin_password(layout: KeycloakLayout) -> str:
    """The bootstrap admin's password of this state folder, created once (mode 0600)."""
    path = layout.admin_password_file
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(18)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return value


def write_realm(layout: KeycloakLayout, *, production: bool) -> None:
    """(Re)write the realm Keycloak imports at start (skipped by Keycloak once it exists)."""
    layout.import_dir.mkdir(parents=True, exist_ok=True)
    realm = realm_for_import(load_realm(), production=production)
    (layout.import_dir / f"{REALM}-realm.json").write_text(
        json.dumps(realm, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def keycloak_pid(state_dir: Path, cache_dir: Path) -> int | None:
    layout = KeycloakLayout(state_dir, cache_dir)
    return running_pid(layout.pid_file, _markers(layout))


def prepare_keycloak(state_dir: Path, cache_dir: Path, *, production: bool) -> None:
    require_java()
    layout = KeycloakLayout(state_dir, cache_dir)
    marker = layout.imported_env_file
    imported = marker.read_text(encoding="utf-8").strip() if marker.exists() else None
    refusal = import_refusal(imported, production=production)
    if refusal is not None:
        raise LocalInfraError(refusal)
    fetch_distribution(layout)
    install_home(layout)
    write_realm(layout, production=production)
    if imported is None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("production\n" if production else "development\n", encoding="utf-8")


def start_keycloak(
    state_dir: Path,
    port: int,
    *,
    cache_dir: Path,
    production: bool = False,
    timeout_s: float = START_TIMEOUT_S,
) -> Started:
    """Start Keycloak detached on 127.0.0.1:port and wait for the realm's discovery.

    Idempotent: a Keycloak already running for this state folder is left alone.
    """
    existing = keycloak_pid(state_dir, cache_dir)
    if existing is not None:
        return Started(existing, already_running=True)
    if port_open("127.0.0.1", port):
        raise LocalInfraError(
            f"Port {port} on 127.0.0.1 is already in use by another process, so Keycloak "
            f"cannot listen there; stop it or set KASANE_KEYCLOAK_PORT."
        )
    layout = KeycloakLayout(state_dir, cache_dir)
    prepare_keycloak(state_dir, cache_dir, production=production)
    env = {
        **os.environ,
        "KC_BOOTSTRAP_ADMIN_USERNAME": ADMIN_USER,
        "KC_BOOTSTRAP_ADMIN_PASSWORD": admin_password(layout),
        "JAVA_OPTS_KC_HEAP": JVM_HEAP,
        "JAVA_OPTS_APPEND": JVM_APPEND,
    }
    cmd = [
        str(layout.kc_sh), "start-dev", "--import-realm",
        "--http-host=127.0.0.1", f"--http-port={port}",
    ]  # fmt: skip
    layout.log_file.parent.mkdir(parents=True, exist_ok=True)
    with layout.log_file.open("ab") as console:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal of `kasane up` must not reach it
            cwd=layout.home,
            env=env,
        )
    write_pid(layout.pid_file, proc.pid)
    try:
        wait_keycloak_ready(state_dir, cache_dir, local_base_url(port), proc.pid, timeout_s)
    except BaseException:
        stop_keycloak(state_dir, cache_dir)
        raise
    _publish_augmentation(layout)
    return Started(proc.pid, already_running=False)


def wait_keycloak_ready(
    state_dir: Path, cache_dir: Path, base_url: str, pid: int, timeout_s: float
) -> None:
    """Poll the realm's discovery document; fail fast if Keycloak exits."""
    layout = KeycloakLayout(state_dir, cache_dir)
    url = f"{issuer_url(base_url)}/.well-known/openid-configuration"
    deadline = time.monotonic() + timeout_s
    last = "no answer"
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if running_pid(layout.pid_file, _markers(layout)) != pid:
                raise LocalInfraError(
                    f"Keycloak exited during start-up; see {layout.log_file}. Last lines:\n"
                    f"{tail(layout.log_file)}"
                )
            try:
                response = client.get(url)
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            time.sleep(0.5)
    raise LocalInfraError(
        f"Keycloak did not serve {url} within {timeout_s:.0f}s ({last}); see "
        f"{layout.log_file}. Last lines:\n{tail(layout.log_file)}"
    )


def stop_keycloak(
    state_dir: Path, cache_dir: Path, timeout_s: float = STOP_TIMEOUT_S
) -> int | None:
    """SIGTERM the kc.sh group (kc.sh forwards it to the JVM), SIGKILL after timeout_s."""
    layout = KeycloakLayout(state_dir, cache_dir)
    pid = keycloak_pid(state_dir, cache_dir)
    if pid is not None:
        terminate_group(pid, _markers(layout), timeout_s)
    layout.pid_file.unlink(missing_ok=True)
    return pid


def password_grant(base_url: str, username: str, password: str, client_id: str = CLI_CLIENT) -> str:
    """An access token for a user, by the password grant of the development-only CLI client.

    Acceptable for a developer's terminal only: the password passes through this program.
    Browsers sign in by the authorization code flow (kasane.web.oidc_login).
    """
    url = f"{issuer_url(base_url)}/protocol/openid-connect/token"
    form = {
        "grant_type": "password",
        "client_id": client_id,
        "username": username,
        "password": password,
        "scope": "openid",
    }
    try:
        response = httpx.post(url, data=form, timeout=30.0)
    except httpx.HTTPError as exc:
        raise LocalInfraError(
            f"Keycloak at {base_url} did not answer ({type(exc).__name__}); is it running "
            f"(`kasane up`, `kasane status`)?"
        ) from exc
    is_json = response.headers.get("content-type", "").startswith("application/json")
    body = response.json() if is_json else {}
    if response.status_code != 200 or "access_token" not in body:
        status = f"HTTP {response.status_code}"
        reason = body.get("error_description") or body.get("error") or status
        raise LocalInfraError(f"Keycloak refused the sign-in of {username!r}: {reason}")
    return str(body["access_token"])


def resident_kib(pid: int) -> int:
    """Resident memory of pid's process group (kc.sh + JVM), for `kasane status`."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text(encoding="utf-8").rpartition(")")[2].split()
            if int(stat[2]) != pid:  # field 5 (pgrp), after the comm field
                continue
            for line in (proc / "status").read_text(encoding="utf-8").splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total


__all__ = [
    "KeycloakLayout",
    "admin_password",
    "fetch_distribution",
    "install_home",
    "keycloak_pid",
    "password_grant",
    "prepare_keycloak",
    "resident_kib",
    "start_keycloak",
    "stop_keycloak",
    "wait_keycloak_ready",
    "write_realm",
]
