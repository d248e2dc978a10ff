"""Topic naming: one topic per producing service, ``kasane.<service>.v1``."""

from __future__ import annotations


def topic_for(service: str, namespace: str = "") -> str:
    return f"{namespace}kasane.{service}.v1"


def dlq_topic_for(consumer: str, namespace: str = "") -> str:
    return f"{namespace}kasane.{consumer}.dlq.v1"
