"""The console's commands: serve it, create the first admin, apply retention, re-index.

python -m bot.console serve              # http://127.0.0.1:8300 (make run starts it)
python -m bot.console create-admin NAME  # asks for the password (or CONSOLE_ADMIN_PASSWORD)
python -m bot.console retention [--days N]
python -m bot.console unlock NAME        # forget NAME's failed logins (an admin's call)
python -m bot.console migrate
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import List

from bot.console import auth, schema
from bot.console.database import connect, migrate
from bot.console.retention import apply_retention
from bot.console.settings import load_settings


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.console", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the console web app")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    for name, role in (("create-admin", schema.ADMIN), ("create-reviewer", schema.REVIEWER)):
        command = commands.add_parser(name, help=f"add a {role} account")
        command.add_argument("username")
        command.set_defaults(role=role)
    retention = commands.add_parser("retention", help="delete conversations past retention")
    retention.add_argument("--days", type=int, help="overrides console.retention_days")
    unlock = commands.add_parser("unlock", help="forget an account's failed logins")
    unlock.add_argument("username")
    commands.add_parser("migrate", help="create or upgrade the console's tables")
    args = parser.parse_args(argv)
    settings = load_settings()

    if args.command == "serve":
        from bot.console.app import create_app
        from bot.ops.logs import configure as configure_json_logs

        configure_json_logs("console")

        app = create_app(settings, name="city_console")
        host, port = args.host or settings.host, args.port or settings.port
        print(f"Staff console: http://{host}:{port}/", flush=True)
        app.run(host=host, port=port, access_log=False, motd=False)
        return 0

    engine = connect(settings.console_database_url)
    migrate(engine)
    if args.command in ("create-admin", "create-reviewer"):
        password = os.environ.get("CONSOLE_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        try:
            with engine.begin() as connection:
                auth.create_user(
                    connection, args.username, password, args.role, created_by="command line"
                )
        except auth.AccountError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"{args.role} {args.username!r} created.")
    elif args.command == "unlock":
        with engine.begin() as connection:
            forgotten = auth.unlock(connection, args.username, "command line")
        print(f"{args.username!r} unlocked ({forgotten} failed logins forgotten).")
    elif args.command == "retention":
        tracker = connect(settings.tracker_url)
        result = apply_retention(tracker, engine, args.days or settings.retention_days)
        print(f"deleted {result.conversations} conversations ({result.events} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
