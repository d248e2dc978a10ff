"""Local development infrastructure without Docker: real Kafka, real PostgreSQL, services.

Each module holds one concept; `stack` composes them for the CLI and for test fixtures.
"""
