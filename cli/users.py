"""``recital users create|set-password|set-role|unlock``: what an operator does to accounts.

Passwords are read from the terminal without echo (or one line of standard
input with ``--password-stdin``), never from the command line, where every
user of the machine could read them in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from cli.problems import InputProblem
from shared.container import Container
from shared.services import users
from shared.services.errors import ErrorKind, ServiceError
from shared.settings import Settings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("users", help="create users, set passwords and roles")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="a new user with a password")
    create.add_argument("handle")
    create.add_argument("--role", choices=users.ROLES, default="learner")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    password = actions.add_parser("set-password", help="give a user (e.g. one carried over) a password")
    password.add_argument("handle")
    password.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    role = actions.add_parser("set-role", help="make a user a learner or an admin")
    role.add_argument("handle")
    role.add_argument("role", choices=users.ROLES)
    unlock = actions.add_parser(
        "unlock", help="forget a handle's failed sign-ins (RECITAL_RATE_LIMIT_SIGN_IN_FAILURES)"
    )
    unlock.add_argument("handle")


def run_users(args: argparse.Namespace, settings: Settings) -> int:
    deps = Container(settings)
    try:
        with deps.uow() as uow:
            if args.action == "create":
                user = users.sign_up(uow, args.handle, _password(args.password_stdin), args.role)
            elif args.action == "set-password":
                user = users.set_password(uow, args.handle, _password(args.password_stdin))
            elif args.action == "set-role":
                user = users.set_role(uow, args.handle, args.role)
            else:
                user = users.by_handle(uow, args.handle)
    except ServiceError as exc:
        print(f"recital users: {exc.message}", file=sys.stderr)
        return 1
    who = f"{user.handle} ({user.role}) id {user.id}"
    if args.action == "unlock":  # named once it is done: a line before an error reads as success
        return _unlock(settings, user.handle, asked=True, who=who)
    print(who)
    if args.action == "set-password":  # a new password is how a locked-out learner gets back in
        return _unlock(settings, user.handle, asked=False)
    return 0


def _unlock(settings: Settings, handle: str, asked: bool, who: str = "") -> int:
    try:
        from web import sign_in_failures  # the web image's limiter library; workers have none
    except ImportError:
        print(
            "recital users: run this where the web runs (the rate limiter is not installed here)",
            file=sys.stderr,
        )
        return 1
    try:
        windows = sign_in_failures.clear(settings, handle)
    except Exception as exc:  # redis-py or the limits library: the store did not answer
        done = "" if asked else "the password is set, but "
        print(
            f"recital users: {done}the rate-limit store did not answer ({type(exc).__name__});"
            " failed sign-ins are not forgotten",
            file=sys.stderr,
        )
        return 1
    if who:
        print(who)
    if windows:
        print("failed sign-ins forgotten")
    elif asked and windows == 0:
        print("no failed sign-ins were counted for this handle")
    elif asked:
        print("failed sign-ins are counted in each web process's memory (no Redis): a restart forgets them")
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return _without_line_ending(sys.stdin.readline())
    no_password = InputProblem("no password: type it at a terminal, or pipe it with --password-stdin")
    if not sys.stdin.isatty():  # getpass would fall back to an echoing prompt, then hit the end
        raise no_password
    try:
        first = getpass.getpass("Password: ")
        again = getpass.getpass("Again: ")
    except EOFError:  # Ctrl-D at the prompt
        raise no_password from None
    if again != first:
        raise ServiceError(ErrorKind.UNPROCESSABLE, "password_mismatch", "The passwords differ.")
    return first


def _without_line_ending(line: str) -> str:
    """The line without its ending, CRLF (a file saved on Windows) or LF; other
    whitespace is part of the password."""
    return line.removesuffix("\n").removesuffix("\r") if line.endswith("\n") else line
