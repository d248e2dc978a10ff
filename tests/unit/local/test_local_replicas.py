"""`kasane up --replicas N`: which processes run on which ports, and how each is named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kasane.settings import APP_PORTS, Settings
from kasane_dev.cli.main import main
from kasane_dev.local import processes
from kasane_dev.local.pids import write_pid
from kasane_dev.local.stack import down, instances, status_rows


def test_one_replica_is_every_app_once_on_its_own_port() -> None:
    assert instances(1) == list(APP_PORTS.items())


def test_replicas_multiply_intake_and_indicators_only_on_ports_a_hundred_apart() -> None:
    found = instances(3)
    assert [p for s, p in found if s == "intake"] == [8101, 8201, 8301]
    assert [p for s, p in found if s == "indicators"] == [8107, 8207, 8307]
    others = [s for s, _ in found if s not in ("intake", "indicators")]
    assert sorted(others) == sorted(s for s in APP_PORTS if s not in ("intake", "indicators"))
    # No replica port is another app's port.
    ports = [p for _, p in found]
    assert len(ports) == len(set(ports))


def test_each_instance_has_its_own_pid_and_log_file(tmp_path: Path) -> None:
    assert processes.pid_file(tmp_path, "intake", 8101) == tmp_path / "run" / "intake.pid"
    assert processes.pid_file(tmp_path, "intake", 8201) == tmp_path / "run" / "intake-8201.pid"
    assert processes.log_file(tmp_path, "intake", 8201) == tmp_path / "logs" / "intake-8201.log"


def test_started_replicas_are_found_by_their_pid_files(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    for name in ("intake.pid", "intake-8201.pid", "intake-8301.pid", "indicators-8207.pid"):
        (tmp_path / "run" / name).write_text("1\n")
    assert processes.replica_ports_started(tmp_path, "intake") == [8201, 8301]
    assert processes.replica_ports_started(tmp_path, "indicators") == [8207]


def test_status_lists_a_running_replica_and_down_stops_it(tmp_path: Path) -> None:
    # A stand-in process whose command line carries intake's markers on port 8201.
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "uvicorn", "intake.app:app",
         "--port", "8201"],
        start_new_session=True,
    )  # fmt: skip
    try:
        write_pid(processes.pid_file(tmp_path, "intake", 8201), proc.pid)
        # External everything else, so down() touches nothing but the services.
        settings = Settings(
            state_dir=tmp_path,
            database_url="postgresql://x",
            kafka_bootstrap="kafka.example:9092",
            keycloak_url="https://id.example/",
        )
        rows = {r.component: r for r in status_rows(settings)}
        assert rows["intake-8201"].up and rows["intake-8201"].pid == proc.pid
        assert rows["intake-8201"].address == "http://127.0.0.1:8201"
        assert not rows["intake"].up  # the first instance is not running here
        down(settings)
        assert proc.wait(20) is not None
        assert not processes.pid_file(tmp_path, "intake", 8201).exists()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_up_refuses_fewer_than_one_replica(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["up", "--replicas", "0"]) == 1
    assert "--replicas must be at least 1" in capsys.readouterr().err
