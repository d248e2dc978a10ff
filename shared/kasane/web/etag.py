"""Entity tags for versioned records: ``"<version>"``, compared on If-Match."""

from __future__ import annotations


def etag(version: int) -> str:
    return f'"{version}"'


def matches(if_match: str, version: int) -> bool:
    """RFC 9110 If-Match: ``*`` or a list of tags; weak tags (``W/``) compare by value."""
    for tag in (t.strip() for t in if_match.split(",")):
        if tag == "*" or tag.removeprefix("W/") == etag(version):
            return True
    return False
