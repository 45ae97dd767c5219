"""Accounts and sign-in. One vague message for every sign-in failure; failures slow retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import AuthenticationFailed, NotFound, ValidationError
from ...models import User
from .actor import ROLES, Actor, roles_of
from .audit import record
from .context import ServiceContext
from .passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from .text_limits import checked_text

FREE_ATTEMPTS = 3
MAX_LOCK_SECONDS = 300
LOGIN_FAILED = "Identifiant ou mot de passe incorrect, ou compte indisponible."


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    display_name: str
    roles: frozenset[str]
    active: bool


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.login, user.display_name, user.role_set, user.active)


def lock_delay(failures: int) -> timedelta:
    """No delay for the first few mistakes, then 2, 4, 8… seconds up to five minutes."""
    if failures < FREE_ATTEMPTS:
        return timedelta(0)
    return timedelta(seconds=min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_LOCK_SECONDS))


def _check_roles(roles: set[str] | frozenset[str]) -> str:
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValidationError(
            f"Rôle inconnu : {', '.join(sorted(unknown))}" if unknown else "Au moins un rôle."
        )
    return " ".join(r for r in ROLES if r in roles)


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise ValidationError(problem)


def administrator_exists(s: Session) -> bool:
    """An active administrator account exists: the site is past its set-up (`rdv-admin` then
    needs a named administrator, and only `keygen` makes signing keys)."""
    return any("admin" in roles.split() for roles in s.scalars(
        select(User.roles).where(User.active.is_(True))))


def _verify_at_full_cost(password: str, stored: str) -> bool:
    """A hash made at an older, cheaper cost is padded with a check at today's cost, so that
    an existing account never answers faster than an unknown login."""
    if needs_rehash(stored):
        verify_password(password, dummy_hash())
    return verify_password(password, stored)


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def authenticate(self, login: str, password: str, station: str,
                     counter_number: int | None = None) -> Actor:
        return self._check(login, password, station, counter_number, "login")

    def unlock(self, actor: Actor, password: str) -> Actor:
        """The locked station's owner types the password again. Failures count and slow
        retries exactly as at sign-in, so the lock screen is no way round the lockout."""
        if actor.user_id is None:
            raise AuthenticationFailed(LOGIN_FAILED)
        return self._check(actor.login, password, actor.station, actor.counter_number,
                           "session_unlocked")

    def lock_after_minutes(self) -> int:
        """The site's inactivity delay before a station locks itself."""
        return self.ctx.read_settings().lock_after_minutes

    def session_event(self, actor: Actor, action: str, reason: str | None = None) -> None:
        """« session_locked » (by hand or for inactivity) or « logout »: who left the station
        and when, so the trail says who could have acted from it."""
        if action not in ("session_locked", "logout"):
            raise ValueError(action)
        with self.ctx.db.write() as s:
            record(s, actor, self.ctx.clock.now(), action, "user", actor.user_id,
                   reason=reason)

    def _check(self, login: str, password: str, station: str, counter_number: int | None,
               action: str) -> Actor:
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            user = s.scalar(select(User).where(User.login == login.strip().lower()))
            # What was typed is never stored: a password typed in the login field by mistake
            # must not land in the audit trail. A known account is named by its id.
            anonymous = Actor(None, "?", "identifiant inconnu", frozenset(), station)
            if user is None:
                verify_password(password, dummy_hash())
                record(s, anonymous, now, "login_failed", "user", None, reason="inconnu")
                ok = False
            elif user.locked_until is not None and user.locked_until > now:
                verify_password(password, dummy_hash())  # a locked account answers as slowly
                record(s, anonymous, now, "login_refused", "user", user.id, reason="verrouillé")
                ok = False
            elif not _verify_at_full_cost(password, user.password_hash) or not user.active:
                user.failed_logins += 1
                user.locked_until = now + lock_delay(user.failed_logins)
                why = "inactif" if user.active is False else "mot de passe"
                record(s, anonymous, now, "login_failed", "user", user.id, reason=why)
                ok = False
            else:
                user.failed_logins = 0
                user.locked_until = None
                actor = Actor(user.id, user.login, user.display_name,
                              roles_of(user.role_set), station, counter_number)
                # A hash made at a lower cost is replaced now that the password is known.
                rehashed = needs_rehash(user.password_hash)
                if rehashed:
                    user.password_hash = hash_password(password)
                record(s, actor, now, action, "user", user.id,
                       after={"password_rehashed": True} if rehashed else None)
                ok = True
        if not ok:
            raise AuthenticationFailed(LOGIN_FAILED)
        return actor

    def create_user(self, actor: Actor, login: str, display_name: str, roles: set[str],
                    password: str) -> UserInfo:
        self.ctx.require(actor, "users.manage")
        login = checked_text("Identifiant", login, 64).lower()
        display_name = checked_text("Nom affiché", display_name, 200)
        if not login or not login.replace(".", "").replace("-", "").replace("_", "").isalnum():
            raise ValidationError("Identifiant invalide : lettres, chiffres, point, tiret.")
        _check_password(password)
        role_text = _check_roles(roles)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            if s.scalar(select(User.id).where(User.login == login)) is not None:
                raise ValidationError(f"L'identifiant « {login} » existe déjà.")
            user = User(login=login, display_name=display_name.strip() or login, roles=role_text,
                        password_hash=hash_password(password), active=True, created_at=now)
            s.add(user)
            s.flush()
            record(s, actor, now, "user_created", "user", user.id,
                   after={"login": login, "roles": role_text})
            return _info(user)

    def _update(self, actor: Actor, login: str, action: str, **changes: object) -> UserInfo:
        self.ctx.require(actor, "users.manage")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            user = s.scalar(select(User).where(User.login == login.strip().lower()))
            if user is None:
                raise NotFound(f"Utilisateur inconnu : {login}")
            before = {k: getattr(user, k) for k in changes if k != "password_hash"}
            for key, value in changes.items():
                setattr(user, key, value)
            after = {k: v for k, v in changes.items() if k != "password_hash"}
            record(s, actor, now, action, "user", user.id, before=before, after=after)
            return _info(user)

    def set_active(self, actor: Actor, login: str, active: bool) -> UserInfo:
        return self._update(actor, login, "user_activated" if active else "user_deactivated",
                            active=active)

    def set_roles(self, actor: Actor, login: str, roles: set[str]) -> UserInfo:
        return self._update(actor, login, "user_roles", roles=_check_roles(roles))

    def reset_password(self, actor: Actor, login: str, password: str) -> UserInfo:
        _check_password(password)
        return self._update(actor, login, "user_password_reset",
                            password_hash=hash_password(password), failed_logins=0,
                            locked_until=None)

    def list_users(self, actor: Actor) -> list[UserInfo]:
        self.ctx.require(actor, "users.manage")
        with self.ctx.db.read() as s:
            return [_info(u) for u in s.scalars(select(User).order_by(User.login))]

    def has_active_admin(self) -> bool:
        """Whether an active administrator account exists (a new site has none yet)."""
        with self.ctx.db.read() as s:
            return administrator_exists(s)

    def count(self) -> int:
        with self.ctx.db.read() as s:
            return len(s.scalars(select(User.id)).all())

    def last_login_failures(self, login: str) -> tuple[int, datetime | None]:
        with self.ctx.db.read() as s:
            user = s.scalar(select(User).where(User.login == login.strip().lower()))
            return (user.failed_logins, user.locked_until) if user else (0, None)
