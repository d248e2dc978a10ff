"""Static checks of the Docker path (compose.yaml + Dockerfiles).

No Docker engine is needed: the files are parsed, so a wrong port, a missing healthcheck or
a floating image tag fails here before anyone runs ``docker compose up``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kasane.settings import SERVICE_PORTS

ROOT = Path(__file__).resolve().parents[2]
KAFKA_HOST_PORT = 39092


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return data


def _services() -> dict[str, Any]:
    services: dict[str, Any] = _compose()["services"]
    return services


DOCKERFILE = "services/Dockerfile"


def _build_args(name: str) -> dict[str, str]:
    args: dict[str, str] = _services()[name]["build"]["args"]
    return args


def _dockerfile(name: str) -> str:
    """The one service Dockerfile as built for ``name``: its build args from compose.yaml
    substituted, so each check reads what that service's image gets."""
    text = (ROOT / DOCKERFILE).read_text(encoding="utf-8")
    for arg, value in _build_args(name).items():
        text = text.replace("${" + arg + "}", str(value)).replace("$" + arg, str(value))
    return text


def _env(dockerfile: str) -> dict[str, str]:
    pairs = [p for line in _instruction(dockerfile, "ENV") for p in line.split()]
    return dict(p.split("=", 1) for p in pairs)


def _instructions(dockerfile: str) -> list[str]:
    """Logical instruction lines: continuations joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    return [line.strip() for line in joined.splitlines() if line.strip() and line[0] != "#"]


def _instruction(dockerfile: str, keyword: str) -> list[str]:
    return [
        line[len(keyword) :].strip()
        for line in _instructions(dockerfile)
        if line.upper().startswith(keyword + " ")
    ]


def _published(ports: list[str]) -> dict[int, int]:
    """host port → container port for short-syntax entries ("[ip:]host:container")."""
    mapping = {}
    for entry in ports:
        *_, host, container = str(entry).split(":")
        mapping[int(host)] = int(container)
    return mapping


def test_all_seven_services_publish_their_design_ports() -> None:
    services = _services()
    assert set(SERVICE_PORTS) <= set(services)
    for name, port in SERVICE_PORTS.items():
        assert _published(services[name]["ports"]) == {port: port}, name


def test_each_service_builds_from_the_one_dockerfile_at_repo_root_with_its_name_and_port() -> None:
    for name in SERVICE_PORTS:
        build = _services()[name]["build"]
        assert build["context"] == "."
        assert build["dockerfile"] == DOCKERFILE
        assert build["args"] == {"SERVICE": name, "PORT": str(SERVICE_PORTS[name])}
    assert (ROOT / DOCKERFILE).is_file()
    # No per-service copy left to drift from the one recipe.
    assert list((ROOT / "services").glob("*/Dockerfile")) == []


def test_the_dockerfile_declares_the_arguments_compose_passes() -> None:
    template = (ROOT / DOCKERFILE).read_text(encoding="utf-8")
    assert _instruction(template, "ARG") == ["SERVICE", "PORT"]


@pytest.mark.parametrize("name", list(SERVICE_PORTS))
def test_dockerfile_runs_uvicorn_on_the_service_port(name: str) -> None:
    dockerfile = _dockerfile(name)
    (cmd,) = _instruction(dockerfile, "CMD")
    port = str(SERVICE_PORTS[name])
    # uvicorn takes its app, host and port from UVICORN_* (an exec-form CMD expands nothing).
    assert json.loads(cmd) == ["uvicorn"]
    env = _env(dockerfile)
    assert (env["UVICORN_APP"], env["UVICORN_HOST"], env["UVICORN_PORT"]) == (
        f"{name}.app:app",
        "0.0.0.0",
        port,
    )
    assert _instruction(dockerfile, "EXPOSE") == [port]


@pytest.mark.parametrize("name", list(SERVICE_PORTS))
def test_dockerfile_is_slim_non_root_and_self_checking(name: str) -> None:
    dockerfile = _dockerfile(name)
    assert _instruction(dockerfile, "FROM") == ["python:3.11-slim"]
    (user,) = _instruction(dockerfile, "USER")
    assert user.split(":")[0] not in {"root", "0"}
    (healthcheck,) = _instruction(dockerfile, "HEALTHCHECK")
    # The port comes from the image's UVICORN_PORT (checked above to be the service's).
    assert "'http://127.0.0.1:' + os.environ['UVICORN_PORT'] + '/healthz'" in healthcheck
    assert "urllib" in healthcheck
    # Its own code and the shared package, and no other service's code.
    copied = {c.split()[0] for c in _instruction(dockerfile, "COPY")}
    assert copied == {"shared/", f"services/{name}/"}


def test_infrastructure_uses_official_images_with_pinned_tags() -> None:
    services = _services()
    kafka_image = services["kafka"]["image"]
    postgres_image = services["postgres"]["image"]
    assert kafka_image.startswith("apache/kafka:")
    assert postgres_image == "postgres:18"
    # Same broker version as the Maven-assembled local stack.
    pom = (ROOT / "infra" / "kafka" / "pom.xml").read_text(encoding="utf-8")
    kafka_version = re.search(r"<kafka.version>([^<]+)</kafka.version>", pom)
    assert kafka_version is not None
    assert kafka_image == f"apache/kafka:{kafka_version.group(1)}"


def test_every_long_running_container_has_a_healthcheck() -> None:
    for name, service in _services().items():
        if service.get("restart") == "no":  # one-shot jobs, judged by their exit code
            continue
        assert service.get("healthcheck", {}).get("test"), name
    for name, port in SERVICE_PORTS.items():
        test = " ".join(_services()[name]["healthcheck"]["test"])
        assert f"127.0.0.1:{port}/healthz" in test, name


def test_kafka_is_a_single_kraft_node_keeping_events_forever() -> None:
    kafka = _services()["kafka"]
    env = {k: str(v) for k, v in kafka["environment"].items()}
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@")
    assert env["KAFKA_LOG_RETENTION_MS"] == "-1"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "1"
    # The host listener avoids 9092 and is what a host-side client is told to use.
    assert _published(kafka["ports"]) == {KAFKA_HOST_PORT: KAFKA_HOST_PORT}
    assert f"127.0.0.1:{KAFKA_HOST_PORT}" in env["KAFKA_ADVERTISED_LISTENERS"]


def test_services_are_wired_to_the_internal_listener_and_postgres() -> None:
    services = _services()
    advertised = str(services["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"])
    for name in [*SERVICE_PORTS, "migrate"]:
        env = services[name]["environment"]
        bootstrap = env["KASANE_KAFKA_BOOTSTRAP"]
        assert bootstrap.startswith("kafka:")
        assert f"//{bootstrap}" in advertised, name
        assert env["KASANE_DATABASE_URL"] == "postgresql://postgres@postgres:5432/postgres"


def test_services_wait_for_healthy_infrastructure_and_migrations() -> None:
    services = _services()
    for name in SERVICE_PORTS:
        depends = services[name]["depends_on"]
        assert depends["kafka"]["condition"] == "service_healthy"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["kasane", "migrate"]


def test_services_get_the_public_key_read_only() -> None:
    for name in SERVICE_PORTS:
        service = _services()[name]
        key_file = service["environment"]["KASANE_JWT_PUBLIC_KEY_FILE"]
        mounts = [str(v).split(":") for v in service["volumes"]]
        assert any(
            (key_file == target or key_file.startswith(target + "/")) and mode == "ro"
            for _, target, mode in mounts
        ), name
        # Never the private JWT key (the whole keys folder) in a service container.
        assert all(source != "./.kasane/keys" for source, _, _ in mounts), name


def test_kafka_authenticates_every_listener_and_authorizes_by_acl() -> None:
    env = {k: str(v) for k, v in _services()["kafka"]["environment"].items()}
    protocols = dict(p.split(":") for p in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(protocols.values()) == {"SASL_PLAINTEXT"}  # no anonymous listener
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "ANONYMOUS" not in env["KAFKA_SUPER_USERS"]


@pytest.mark.parametrize("name", list(SERVICE_PORTS))
def test_each_service_has_its_own_kafka_user_and_only_its_own_signing_key(name: str) -> None:
    service = _services()[name]
    env = service["environment"]
    assert env["KASANE_KAFKA_USERNAME"] == name
    assert env["KASANE_KAFKA_PASSWORD"].startswith(f"${{KASANE_KAFKA_PASSWORD_{name.upper()}:")
    assert env["KASANE_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    mounts = {
        target: source for source, target, _ in (str(v).split(":") for v in service["volumes"])
    }
    assert mounts[env["KASANE_EVENT_SIGNING_KEYS_DIR"]] == f"./.kasane/keys/events-private/{name}"
    assert mounts[env["KASANE_EVENT_KEYS_DIR"]] == "./.kasane/keys/events"
    assert [s for s in mounts.values() if "events-private" in s] == [
        f"./.kasane/keys/events-private/{name}"
    ]
    assert service["depends_on"]["provision"]["condition"] == "service_completed_successfully"


def test_topics_and_acls_are_provisioned_from_the_catalog_by_the_admin() -> None:
    provision = _services()["provision"]
    assert provision["command"] == ["kasane", "provision"]
    assert provision["environment"]["KASANE_KAFKA_USERNAME"] == "kasane-admin"
    users = _services()["kafka-users"]
    script = users["command"][0]
    for name in SERVICE_PORTS:  # one SCRAM user per service
        assert name in script
        assert f"KASANE_KAFKA_PASSWORD_{name.upper()}" in users["environment"]


def _docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _docker_compose_available(), reason="docker compose plugin not installed")
def test_docker_compose_accepts_the_file() -> None:
    # `config` only parses and interpolates; it does not need a running engine.
    result = subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "compose.yaml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
