"""`kasane up | down | status | migrate | token | asyncapi`: the local development stack
(and `kasane indicators rebuild`, see kasane_dev/cli/indicators.py; `kasane reference`, see
kasane_dev/cli/reference.py; `kasane demo`, see kasane_dev/demo/cli.py).

Expected failures (missing Java, a busy port, a service that will not boot) print one
message on stderr and exit 1; a stack trace would only bury the actionable sentence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kasane.settings import SERVICES, Settings, get_settings
from kasane_dev.local import stack


class CommandError(Exception):
    """Bad input to a command; reported like the stack's own expected failures."""


def _print(line: str) -> None:
    # Flush per line: `up` takes seconds and the user should see each step as it lands.
    print(line, flush=True)


def _cmd_up(settings: Settings, args: argparse.Namespace) -> None:
    if args.replicas < 1:
        raise CommandError("--replicas must be at least 1")
    stack.up(settings, with_services=not args.no_services, replicas=args.replicas, report=_print)


def _cmd_down(settings: Settings, args: argparse.Namespace) -> None:
    stack.down(settings, report=_print)


def _cmd_status(settings: Settings, args: argparse.Namespace) -> None:
    rows = [("COMPONENT", "STATE", "PID", "ADDRESS")]
    for status in stack.status_rows(settings):
        pid = str(status.pid) if status.pid is not None else "-"
        rows.append((status.component, "up" if status.up else "down", pid, status.address))
    widths = [max(len(line[i]) for line in rows) for i in range(3)]
    for line in rows:
        cells = [cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True)]
        _print("  ".join([*cells, line[3]]))


def _cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    stack.migrate(settings, report=_print)


def _cmd_keys(settings: Settings, args: argparse.Namespace) -> None:
    stack.keys(settings, report=_print)


def _cmd_provision(settings: Settings, args: argparse.Namespace) -> None:
    stack.provision_broker(settings, report=_print)


def _cmd_rotate_event_key(settings: Settings, args: argparse.Namespace) -> None:
    from kasane.bus.signing import new_event_key

    if args.service not in SERVICES:
        raise CommandError(f"unknown service {args.service!r}; one of {', '.join(SERVICES)}")
    kid = new_event_key(
        settings.event_keys_path, settings.event_signing_path(args.service), args.service
    )
    _print(f"new event key {kid}: hand {settings.event_keys_path}/{kid}.pub.pem to every")
    _print(f"consumer of {args.service} first, then restart {args.service} to sign with it.")


def _cmd_token(settings: Settings, args: argparse.Namespace) -> None:
    from kasane.auth.tokens import mint_dev_token

    if args.user:
        _print(_user_token(settings, args.user, args.password))
        return
    if not args.agency or not args.role:
        raise CommandError("--agency and --role are required unless --user is given")
    try:
        token = mint_dev_token(
            settings.keys_dir, args.sub, args.agency, args.role, args.ttl_minutes
        )
    except ValueError as exc:  # e.g. an unknown role: the user's input, not a bug
        raise CommandError(str(exc)) from exc
    _print(token)


def _user_token(settings: Settings, user: str, password: str | None) -> str:
    import getpass

    from kasane_dev.local.keycloak import password_grant

    if password is None:
        password = getpass.getpass(f"Password for {user}: ")
    return password_grant(settings.keycloak_base_url, user, password)


def _cmd_asyncapi(settings: Settings, args: argparse.Namespace) -> None:
    from kasane.events.asyncapi import render

    sys.stdout.write(render())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kasane", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start Kafka, PostgreSQL, migrations and services")
    up.add_argument("--no-services", action="store_true", help="infrastructure only")
    up.add_argument(
        "--replicas",
        type=int,
        default=1,
        metavar="N",
        help="run N instances of intake and of indicators (ports 8101, 8201, …; 8107, 8207, …)",
    )
    up.set_defaults(handler=_cmd_up)

    down = commands.add_parser("down", help="stop what `up` started")
    down.set_defaults(handler=_cmd_down)

    status = commands.add_parser("status", help="show each component's state")
    status.set_defaults(handler=_cmd_status)

    migrate = commands.add_parser("migrate", help="create databases and apply migrations")
    migrate.set_defaults(handler=_cmd_migrate)

    keys = commands.add_parser(
        "keys", help="create the keys and secrets of a deployment (JWT, event signing, Kafka)"
    )
    keys.set_defaults(handler=_cmd_keys)

    provision = commands.add_parser(
        "provision", help="create the topics and ACLs of the namespace, as the Kafka admin"
    )
    provision.set_defaults(handler=_cmd_provision)

    rotate = commands.add_parser("rotate-event-key", help="new event signing key of a service")
    rotate.add_argument("service", help="the producing service")
    rotate.set_defaults(handler=_cmd_rotate_event_key)

    token = commands.add_parser(
        "token",
        help="print a development JWT (minted with the dev key, or --user: from Keycloak)",
    )
    token.add_argument("--agency", help="agency id (minted token)")
    token.add_argument("--role", action="append", help="role, repeat for several (minted token)")
    token.add_argument(
        "--user",
        help="a Keycloak user (e.g. a demo account): sign in and print its access token",
    )
    token.add_argument("--password", help="with --user; asked for when omitted")
    token.add_argument("--sub", default="dev-staff", help="staff id (default: dev-staff)")
    token.add_argument("--ttl-minutes", type=int, default=480, help="lifetime (default: 480)")
    token.set_defaults(handler=_cmd_token)

    asyncapi = commands.add_parser("asyncapi", help="print the AsyncAPI document of all events")
    asyncapi.set_defaults(handler=_cmd_asyncapi)

    from kasane_dev.cli import indicators

    indicators.add_parser(commands)

    from kasane_dev.cli import reference

    reference.add_parser(commands)

    from kasane_dev.cli import keycloak

    keycloak.add_parser(commands)

    from kasane_dev.demo import cli as demo

    demo.add_parser(commands)
    return parser


def _expected_errors() -> tuple[type[Exception], ...]:
    from kasane.db.urls import DatabaseUrlUnavailable
    from kasane_dev.cli.indicators import IndicatorsCommandError
    from kasane_dev.cli.keycloak import KeycloakCommandError
    from kasane_dev.cli.reference import ReferenceCommandError
    from kasane_dev.demo.cli import DemoError
    from kasane_dev.local.errors import LocalInfraError

    errors: list[type[Exception]] = [
        CommandError,
        LocalInfraError,
        DatabaseUrlUnavailable,
        IndicatorsCommandError,
        KeycloakCommandError,
        ReferenceCommandError,
        DemoError,
    ]
    try:
        # Another module's error type; optional so the CLI works before it exists.
        from kasane.db.migrate import MigrationError

        errors.append(MigrationError)
    except ImportError:
        pass
    return tuple(errors)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    expected = _expected_errors()
    try:
        args.handler(get_settings(), args)
    except expected as exc:
        print(f"kasane {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"kasane {args.command}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
