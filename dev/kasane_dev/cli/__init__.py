"""The `kasane` command line (entry point kasane_dev.cli.main:main)."""
