"""Staff accounts, sessions, CSRF tokens and the login rate limit.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's
  second recommended profile); a hash made with older parameters is replaced at
  the next login.
- A session is a random token in an HttpOnly, SameSite=Strict cookie; only its
  SHA-256 is stored, with an expiry. Each session has its own CSRF token that
  every form posts back.
- Logins are throttled by failed attempts in the last 15 minutes. One username from
  one client address gets ``limit`` free tries, then waits after each failure: 30 s,
  1 min, 2 min… doubling up to 15 minutes, counted from the last failure, so a
  mistyping colleague is slowed, not locked out, and the wait ends on its own. One
  address may fail ten times ``limit`` in all (someone trying many usernames), one
  username four times ``limit`` from everywhere (guessing spread over addresses) —
  except from an address the user logged in from in the last 30 days, so strangers
  elsewhere cannot keep an account locked. Behind the recommended SSO/VPN proxy every
  member of staff shares one address, which is why the per-address limit is high.
  An admin can unlock an account at once (``unlock``; the console's Users page and
  ``python -m bot.console unlock NAME``). A refused attempt is refused before the
  password is checked, so guessing stays slow even with a correct password in the
  list, and it is not counted, so it does not prolong the wait. Each attempt is
  recorded (as failed) and committed *before* its password is checked, then the
  failures are counted: of many concurrent guesses at most ``limit`` get checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot.console import audit, schema

HASHER = PasswordHasher()
MIN_PASSWORD_CHARS = 12
WINDOW = dt.timedelta(minutes=15)
#: How many times ``limit`` one client address, and one username from anywhere, may fail.
CLIENT_FACTOR = 10
ACCOUNT_FACTOR = 4
#: The pause after the first failure beyond ``limit``; each further failure doubles it.
BACKOFF_START = dt.timedelta(seconds=30)
#: An address a user logged in from this recently is theirs: others' guessing from
#: elsewhere does not lock them out of it.
KNOWN_FOR = dt.timedelta(days=30)
#: Verifying against this keeps an unknown username as slow as a wrong password.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A username, password or role that cannot be used; the message says why."""


@dataclass(frozen=True)
class StaffUser:
    """Who is logged in, and what they may do."""

    id: int
    username: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == schema.ADMIN


@dataclass(frozen=True)
class Session:
    """A logged-in session as the app sees it."""

    user: StaffUser
    csrf_token: str


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def create_user(
    connection: Connection, username: str, password: str, role: str, created_by: str
) -> StaffUser:
    """Add a staff account (the first admin comes from ``python -m bot.console create-admin``).

    ``created_by`` is who the audit log names: the admin, or the command line.
    """
    username = username.strip()
    if not username or len(username) > 64 or not username.isprintable():
        raise AccountError("A username is 1 to 64 printable characters.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"A password has at least {MIN_PASSWORD_CHARS} characters.")
    if role not in schema.ROLES:
        raise AccountError(f"A role is one of {', '.join(schema.ROLES)}.")
    users = schema.users
    if connection.execute(select(users.c.id).where(users.c.username == username)).first():
        raise AccountError(f"There is already a user called {username!r}.")
    result = connection.execute(
        users.insert().values(
            username=username,
            password_hash=HASHER.hash(password),
            role=role,
            disabled=False,
            created_at=now(),
        )
    )
    audit.record(connection, created_by, audit.USER_CREATED, username, {"role": role})
    return StaffUser(int(result.inserted_primary_key[0]), username, role)


def login_blocked(
    connection: Connection, username: str, client: str, limit: int, own: int | None = None
) -> bool:
    """Whether this login attempt must be refused unchecked (see the module docstring).

    ``own`` is the id of the caller's attempt when it is already recorded: it is not
    counted against itself.
    """
    attempts = schema.login_attempts
    moment = now()
    failed = (attempts.c.at >= moment - WINDOW) & attempts.c.succeeded.is_(False)
    if own is not None:
        failed = failed & (attempts.c.id != own)

    def failures(condition: Any) -> tuple[int, dt.datetime | None]:
        count, last = connection.execute(
            select(func.count(), func.max(attempts.c.at)).where(condition & failed)
        ).one()
        return int(count or 0), (_aware(last) if last is not None else None)

    pair, last = failures((attempts.c.username == username) & (attempts.c.client == client))
    if pair >= limit and last is not None and moment - last < backoff(pair - limit):
        return True
    if failures(attempts.c.client == client)[0] >= limit * CLIENT_FACTOR:
        return True
    if failures(attempts.c.username == username)[0] >= limit * ACCOUNT_FACTOR:
        return not known_address(connection, username, client)
    return False


def backoff(extra_failures: int) -> dt.timedelta:
    """How long after the last failure one more try waits: doubling, at most ``WINDOW``."""
    return min(BACKOFF_START * 2 ** min(extra_failures, 16), WINDOW)


def known_address(connection: Connection, username: str, client: str) -> bool:
    """Whether ``username`` logged in successfully from ``client`` within ``KNOWN_FOR``."""
    attempts = schema.login_attempts
    found = connection.execute(
        select(attempts.c.id)
        .where(
            (attempts.c.username == username)
            & (attempts.c.client == client)
            & attempts.c.succeeded.is_(True)
            & (attempts.c.at >= now() - KNOWN_FOR)
        )
        .limit(1)
    ).first()
    return found is not None


def unlock(connection: Connection, username: str, unlocked_by: str) -> int:
    """Forget ``username``'s failed logins (an admin's decision); how many were forgotten.

    The audit log keeps every attempt; only the throttle's memory is cleared.
    """
    attempts = schema.login_attempts
    removed = connection.execute(
        attempts.delete().where((attempts.c.username == username) & attempts.c.succeeded.is_(False))
    ).rowcount
    audit.record(connection, unlocked_by, audit.LOGIN_UNLOCKED, username, {"failures": removed})
    return int(removed or 0)


def authenticate(
    connection: Connection, username: str, password: str, client: str, limit: int
) -> StaffUser | None:
    """The user if the password is right and the account may log in; every attempt recorded.

    ``connection`` must not be inside a transaction: the attempt is committed before
    the password is checked (see the module docstring).
    """
    username = username.strip()[:64]
    client = client[:64]
    attempts = schema.login_attempts
    with connection.begin():
        if login_blocked(connection, username, client, limit):
            audit.record(connection, username or "-", audit.LOGIN_BLOCKED, client)
            return None
        attempt = connection.execute(
            attempts.insert().values(username=username, client=client, at=now(), succeeded=False)
        ).inserted_primary_key[0]
    with connection.begin():
        if login_blocked(connection, username, client, limit, own=attempt):
            # Others got in first: this attempt stays a failure, unchecked.
            audit.record(connection, username or "-", audit.LOGIN_BLOCKED, client)
            return None
    users = schema.users
    with connection.begin():
        row = connection.execute(select(users).where(users.c.username == username)).first()
    ok = False
    try:  # no transaction is held open while argon2 works
        ok = HASHER.verify(row.password_hash if row else _DUMMY_HASH, password) and bool(row)
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and row is not None and not row.disabled
    with connection.begin():
        if ok:
            connection.execute(
                attempts.update().where(attempts.c.id == attempt).values(succeeded=True)
            )
        audit.record(connection, username or "-", audit.LOGIN if ok else audit.LOGIN_FAILED, client)
        if not ok or row is None:
            return None
        if HASHER.check_needs_rehash(row.password_hash):
            connection.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(password_hash=HASHER.hash(password))
            )
    return StaffUser(row.id, row.username, row.role)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(connection: Connection, user: StaffUser, hours: float) -> str:
    """A new session for ``user``; returns the cookie's token (stored only as a hash)."""
    token = secrets.token_urlsafe(32)
    connection.execute(
        schema.sessions.insert().values(
            token_hash=_token_hash(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now(),
            expires_at=now() + dt.timedelta(hours=hours),
        )
    )
    return token


def session_for(connection: Connection, token: str | None) -> Session | None:
    """The live session a cookie's token belongs to, if any."""
    if not token or len(token) > 128:
        return None
    sessions, users = schema.sessions, schema.users
    row = connection.execute(
        select(
            sessions.c.csrf_token,
            sessions.c.expires_at,
            users.c.id,
            users.c.username,
            users.c.role,
            users.c.disabled,
        )
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.token_hash == _token_hash(token))
    ).first()
    if row is None or row.disabled or _aware(row.expires_at) <= now():
        return None
    return Session(StaffUser(row.id, row.username, row.role), row.csrf_token)


def close_session(connection: Connection, token: str | None) -> None:
    if token:
        connection.execute(
            schema.sessions.delete().where(schema.sessions.c.token_hash == _token_hash(token))
        )


def csrf_ok(session: Session, submitted: str | None) -> bool:
    """Whether a form carries this session's CSRF token (compared in constant time)."""
    return bool(submitted) and hmac.compare_digest(session.csrf_token, str(submitted))


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
