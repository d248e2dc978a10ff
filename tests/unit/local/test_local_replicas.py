"""`kasane up --replicas N`: which processes run on which ports, and how each is named."""

from __future__ import annotations

from pathlib import Path

from kasane.settings import APP_PORTS
from kasane_dev.local import processes
from kasane_dev.local.stack import instances


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
