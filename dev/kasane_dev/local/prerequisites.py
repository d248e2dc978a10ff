"""Checks for the tools Kafka needs: Java 17+ to run it, Maven to fetch its jars."""

from __future__ import annotations

import re
import shutil
import subprocess

from kasane_dev.local.errors import MissingPrerequisite

MIN_JAVA_MAJOR = 17
_JAVA_HINT = (
    f"Java {MIN_JAVA_MAJOR} or newer is required to run Kafka: install OpenJDK 17 "
    "(apt-get install openjdk-17-jre-headless)"
)
_MAVEN_HINT = (
    "Apache Maven is required to fetch the Kafka jars from Maven Central: install it "
    "(apt-get install maven)"
)
_VERSION_RE = re.compile(r'version "([^"]+)"')


def parse_java_major(version_output: str) -> int | None:
    """Major version from `java -version` output, e.g. 17 from 'openjdk version "17.0.15"'.

    Java 8 and older report "1.8.0_381", where the major is the second component.
    """
    match = _VERSION_RE.search(version_output)
    if match is None:
        return None
    digits = re.findall(r"\d+", match.group(1))
    if not digits:
        return None
    major = int(digits[0])
    if major == 1 and len(digits) > 1:
        major = int(digits[1])
    return major


def require_java() -> str:
    """Path of a Java 17+ executable, or MissingPrerequisite."""
    java = shutil.which("java")
    if java is None:
        raise MissingPrerequisite(_JAVA_HINT)
    # `java -version` writes to stderr by long tradition.
    result = subprocess.run(
        [java, "-version"], capture_output=True, text=True, timeout=30, check=False
    )
    major = parse_java_major(result.stderr + result.stdout)
    if major is None or major < MIN_JAVA_MAJOR:
        found = f"Java {major}" if major is not None else "an unrecognised Java"
        raise MissingPrerequisite(f"{_JAVA_HINT}; found {found} at {java}")
    return java


def require_maven() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise MissingPrerequisite(_MAVEN_HINT)
    return mvn
