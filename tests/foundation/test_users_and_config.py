"""Sign-in, account rules, configuration sources and clear errors for a bad database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from rdv_desktop.config import load_config
from rdv_desktop.errors import (
    AuthenticationFailed,
    ConfigurationError,
    DatabaseUnavailable,
    ValidationError,
)
from rdv_desktop.models import AuditEvent
from rdv_desktop.models.db import Database
from rdv_desktop.services.core import passwords
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.users import LOGIN_FAILED, lock_delay
from rdv_desktop.services.setup import Services
from tests.conftest import make_actor, password_of


def audit(services: Services, action: str) -> list[AuditEvent]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_wrong_password_and_unknown_login_get_the_same_message(services: Services) -> None:
    make_actor(services, "marie", {"agent"})
    for login, password in (("marie", "mauvais"), ("inconnu", password_of("marie"))):
        with pytest.raises(AuthenticationFailed) as info:
            services.users.authenticate(login, password, "P1")
        assert info.value.message == LOGIN_FAILED
    assert [e.reason for e in audit(services, "login_failed")] == ["mot de passe", "inconnu"]


def test_repeated_failures_slow_down_then_lock(services: Services, clock: FixedClock) -> None:
    make_actor(services, "marie", {"agent"})
    assert lock_delay(2).total_seconds() == 0 and lock_delay(3).total_seconds() == 2
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            services.users.authenticate("marie", "faux", "P1")
    with pytest.raises(AuthenticationFailed):  # right password, but still locked
        services.users.authenticate("marie", password_of("marie"), "P1")
    assert audit(services, "login_refused")
    clock.advance(seconds=5)
    actor = services.users.authenticate("marie", password_of("marie"), "P1")
    assert actor.login == "marie"
    assert services.users.last_login_failures("marie") == (0, None)


def test_inactive_account_cannot_sign_in(services: Services, admin) -> None:
    make_actor(services, "paul", {"accueil"})
    services.users.set_active(admin, "paul", False)
    with pytest.raises(AuthenticationFailed):
        services.users.authenticate("paul", password_of("paul"), "P1")
    assert audit(services, "user_deactivated")


def test_account_rules(services: Services, admin) -> None:
    for weak in ("abc", "motdepasse", "motdepasse-long", "Court-1", "trois mots seulement"):
        with pytest.raises(ValidationError, match="Mot de passe trop faible : au moins 12 "):
            services.users.create_user(admin, "court", "Court", {"agent"}, weak)
    for strong in ("Motdepasse-26", "guichet-2026-ok", "la tour eiffel est grande"):
        services.users.create_user(admin, f"u{len(strong)}", "U", {"agent"}, strong)
    with pytest.raises(ValidationError, match="Rôle inconnu"):
        services.users.create_user(admin, "x", "X", {"chef"}, "Motdepasse-26")
    services.users.create_user(admin, "Double", "D", {"agent"}, "Motdepasse-26")
    with pytest.raises(ValidationError, match="existe déjà"):
        services.users.create_user(admin, "double", "D", {"agent"}, "Motdepasse-26")


def test_config_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "config.toml"
    conf.write_text('[database]\nurl = "sqlite:////fichier.db"\n[site]\ncode = "herault"\n'
                    '[station]\nname = "GUICHET-3"\ncounter = 3\nprinter = "HP"\n',
                    encoding="utf-8")
    monkeypatch.setenv("RDV_CONFIG", str(conf))
    monkeypatch.delenv("RDV_DB_URL", raising=False)
    cfg = load_config()
    assert (cfg.db_url, cfg.site_code, cfg.station_name, cfg.counter_number, cfg.printer) == (
        "sqlite:////fichier.db", "HERAULT", "GUICHET-3", 3, "HP")
    assert cfg.sounds  # the desk's tones: on unless the station says otherwise
    conf.write_text('[station]\nsounds = false\n', encoding="utf-8")
    assert not load_config().sounds
    conf.write_text('[station]\nsounds = "non"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="true ou false"):
        load_config()
    conf.write_text('[database]\nurl = "sqlite:////fichier.db"\n', encoding="utf-8")
    monkeypatch.setenv("RDV_DB_URL", "sqlite:////env.db")
    assert load_config().db_url == "sqlite:////env.db"
    assert load_config("sqlite:////option.db").db_url == "sqlite:////option.db"
    conf.write_text("[station\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="illisible"):
        load_config()


def test_bad_database_urls_give_one_sentence() -> None:
    with pytest.raises(ConfigurationError, match="non prise en charge"):
        Database("mysql://localhost/x")
    with pytest.raises(ConfigurationError, match="invalide"):
        Database("pas une adresse")
    db = Database("postgresql://nobody@127.0.0.1:1/absente")
    with pytest.raises(DatabaseUnavailable, match="ne répond pas") as info:
        db.ping()
    assert "Traceback" not in info.value.message and "127.0.0.1:1" in info.value.message


def test_a_password_typed_as_the_login_is_never_stored(services: Services) -> None:
    make_actor(services, "marie", {"agent"})
    secret = "Mon-Secret-2026!"
    with pytest.raises(AuthenticationFailed):
        services.users.authenticate(secret, "", "P1")  # typed in the wrong field
    with services.ctx.db.read() as s:
        stored = [(e.user_login, e.entity_id, e.reason, str(e.after), str(e.before))
                  for e in s.scalars(select(AuditEvent))]
    assert all(secret.lower() not in str(row).lower() for row in stored)
    assert ("?", None, "inconnu", "None", "None") in stored


def test_a_cheaper_hash_is_replaced_at_sign_in(services: Services) -> None:
    from rdv_desktop.models import User
    from rdv_desktop.services.core import passwords

    assert passwords._LOG2_N >= 17  # production cost; the tests run at set_cost(12)
    make_actor(services, "marie", {"agent"})
    with services.ctx.db.read() as s:
        old = s.scalar(select(User.password_hash).where(User.login == "marie"))
    assert old.split("$")[1] == str(2**12)
    passwords.set_cost(13)
    try:
        services.users.authenticate("marie", password_of("marie"), "P1")
        with services.ctx.db.read() as s:
            new = s.scalar(select(User.password_hash).where(User.login == "marie"))
        assert new.split("$")[1] == str(2**13) and not passwords.needs_rehash(new)
        services.users.authenticate("marie", password_of("marie"), "P1")  # the new hash works
    finally:
        passwords.set_cost(12)
    logins = [e.after for e in audit(services, "login")]
    assert logins[-2:] == [{"password_rehashed": True}, None]


def test_an_account_hashed_at_an_old_cost_answers_no_faster_than_an_unknown_login(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The work done (scrypt's N, summed) for a wrong password on an account still hashed at
    an older, cheaper cost is at least that of an unknown login: no timing tells them apart."""
    make_actor(services, "ancien", {"agent"})  # hashed at 2^12
    work: list[int] = []
    real = passwords._scrypt

    def counted(password: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
        work.append(n)
        return real(password, salt, n, r, p, size)

    passwords.set_cost(13)
    try:
        passwords.dummy_hash()  # made once, cached: not part of an answer
        monkeypatch.setattr(passwords, "_scrypt", counted)
        for login in ("inconnu", "ancien"):
            with pytest.raises(AuthenticationFailed):
                services.users.authenticate(login, "pas-le-bon-Mot-2026", "P1")
        unknown, old = work[0], sum(work[1:])
        assert unknown == 2**13 and old >= unknown
    finally:
        passwords.set_cost(12)
