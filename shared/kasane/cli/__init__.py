"""The `kasane` command line (entry point kasane.cli.main:main)."""
