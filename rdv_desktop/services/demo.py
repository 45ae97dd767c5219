"""Realistic, deterministic demo data: today's queue in every stage and past days' history.

Past deposits go through the same dossier builder as the counter (real numbers, real checklist
snapshots, real Ed25519 signatures), so the demo exercises the true path. Every day, today
included, has its slots within the opening hours (08:30–16:30); today's stages follow the
current time. A day's dossiers are registered in the order they were finished, so dossier
numbers increase with their deposit times, as at a real counter.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import WORK_MENTIONS, Appointment, AuditEvent, Dossier, Recepisse, User
from .catalogue.rules import request_flags
from .core.actor import Actor, roles_of
from .core.audit import record
from .core.clock import at_paris, local
from .counter.booking import REFERENCE_ALPHABET, REQUEST_KINDS
from .counter.dossiers import DepositRequest, TimbreEntry, working_day
from .counter.numbering import ticket_number
from .counter.piece_checks import PieceCheck, checklist
from .demo_people import BIRTH_PLACES, FAMILY_NAMES, GIVEN_NAMES, NATIONALITIES
from .setup import Services

DEMO_PASSWORD = "demo-rdv-2026"
OPENING, CLOSING = time(8, 30), time(16, 30)  # the last slot starts before closing
DEMO_USERS = (
    ("accueil", "Claire Accueil", {"accueil"}),
    ("agent", "Marc Guichet", {"agent"}),
    ("agent2", "Sofia Guichet", {"agent"}),
    ("chef", "Nadia Encadrement", {"manager", "agent"}),
    ("admin", "Admin Système", {"admin", "manager"}),
)


@dataclass(frozen=True)
class DemoOptions:
    day: date
    per_day: int = 40
    days_back: int = 20
    seed: int = 1


@dataclass(frozen=True)
class DemoSummary:
    appointments: int
    deposits: int
    today: int


def ensure_demo_users(services: Services, admin: Actor) -> dict[str, Actor]:
    existing = {u.login for u in services.users.list_users(admin)}
    actors = {}
    for login, name, roles in DEMO_USERS:
        if login not in existing:
            services.users.create_user(admin, login, name, roles, DEMO_PASSWORD)
        with services.ctx.db.read() as s:
            user = s.scalars(select(User).where(User.login == login)).one()
            actors[login] = Actor(user.id, login, name, roles_of(user.role_set), "DEMO", None)
    return actors


class _Generator:
    def __init__(self, services: Services, opts: DemoOptions, agents: list[Actor],
                 admin: Actor) -> None:
        self.services = services
        self.ctx = services.ctx
        self.opts = opts
        self.rng = random.Random(opts.seed)
        # Its own sequence, so the appointments of a seed stay those they always were.
        self.recepisse_rng = random.Random(opts.seed + 1)
        self.agents = agents
        self.catalogue = services.catalogue.current()
        self.paper = [m for m in self.catalogue.motifs if not m.anef_redirect]
        self.anef = [m for m in self.catalogue.motifs if m.anef_redirect]
        self.signer = services.keys.ensure_key(admin)
        self.deposits = 0
        self.site_id = 0

    def person(self) -> dict[str, object]:
        rng = self.rng
        nationality = rng.randrange(len(NATIONALITIES))
        return {
            "family_name": rng.choice(FAMILY_NAMES),
            "given_names": rng.choice(GIVEN_NAMES),
            "birth_date": date(rng.randint(1955, 2006), rng.randint(1, 12), rng.randint(1, 28)),
            "birth_place": BIRTH_PLACES[nationality],
            "nationality": NATIONALITIES[nationality],
            "phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                     f"{rng.randint(10, 99)}",
            "email": "",
            "foreign_number": str(rng.randint(10**9, 10**10 - 1)) if rng.random() < 0.4 else "",
        }

    def slots(self, day: date, count: int, start: time, end: time) -> list[time]:
        first = datetime.combine(day, start)
        minutes = max(15, int((datetime.combine(day, end) - first).total_seconds() // 60))
        step = 15
        return sorted(
            (first + timedelta(minutes=step * self.rng.randrange(minutes // step))).time()
            for _ in range(count)
        )

    def new(self, s: Session, day: date, slot: time, motif_code: str | None) -> Appointment:
        created = at_paris(day, slot) - timedelta(days=self.rng.randint(3, 30))
        code = "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(6))
        a = Appointment(reference=f"RDV-{day:%y%m%d}-{code}",
                        source=self.rng.choice(("import", "import", "import", "manual")),
                        site_id=self.site_id, slot_date=day, slot_time=slot,
                        motif_code=motif_code, outcome="pending", created_at=created,
                        updated_at=created, **self.person())
        if self.rng.random() < 0.03:
            a.motif_code, a.motif_to_confirm = None, True
            a.motif_source_label = "Titre de séjour - autre demande"
        s.add(a)
        return a

    def serve(self, a: Appointment, arrived: datetime, wait: int, agent: Actor) -> datetime:
        a.arrived_at = arrived
        a.arrival_station = "ACCUEIL"
        a.called_at = arrived + timedelta(minutes=wait)
        a.counter_id = self.rng.randint(1, 4)
        a.service_started_at = a.called_at + timedelta(minutes=1)
        a.agent_id = agent.user_id
        return a.service_started_at + timedelta(minutes=self.rng.randint(7, 25))

    def finish(self, s: Session, a: Appointment, outcome: str, when: datetime, agent: Actor
               ) -> None:
        a.finished_at, a.updated_at = when, when
        if outcome == "redirected":
            a.motif_code = self.rng.choice(self.anef).code
            a.outcome = outcome
            return
        motif = next((m for m in self.paper if m.code == a.motif_code), None) or self.paper[0]
        a.motif_code, a.motif_to_confirm = motif.code, False
        situations = frozenset(self.rng.sample(
            [c for c, _ in self.catalogue.situations], self.rng.randint(0, 3)))
        kind = self.rng.choice(REQUEST_KINDS)
        lines = checklist(motif, request_flags(situations, kind))
        blocking = [ln.piece.code for ln in lines if ln.blocking]
        later = [ln.piece.code for ln in lines if ln.mandatory and not ln.blocking]
        missing: set[str] = set()
        if outcome == "incomplete":
            missing = set(self.rng.sample(blocking, min(len(blocking), self.rng.randint(1, 2))))
        elif later and self.rng.random() < 0.15:  # registered, pieces asked for by letter
            missing = set(self.rng.sample(later, min(len(later), self.rng.randint(1, 2))))
        checks = tuple(
            PieceCheck(ln.piece.code, "missing" if ln.piece.code in missing else
                       ("received" if ln.applies else "not_applicable"))
            for ln in lines)
        timbres: tuple[TimbreEntry, ...] = ()
        if "entree_irreguliere" in situations:
            amount = self.services.catalogue.fee_on("DVR_DEPOT", when.date()) or 5000
            timbres = (TimbreEntry("".join(str(self.rng.randint(0, 9)) for _ in range(16)),
                                   amount),)
        request = DepositRequest(a.id, motif.code, kind, situations, checks, timbres)
        complete = outcome == "deposited"
        dossier = self.services.dossiers.build(
            s, agent, a, self.catalogue, motif, request, {c.code: c for c in checks}, when,
            complete, self.signer if complete else None)
        if complete and missing:
            self._await_pieces(dossier, when)
        a.outcome = outcome
        self.deposits += int(complete)
        if complete and (dossier.pieces_due_by is None or dossier.pieces_completed_at):
            self.hand_over(s, dossier, dossier.pieces_completed_at or when, agent)

    def hand_over(self, s: Session, dossier: Dossier, deposited: datetime, agent: Actor) -> None:
        """Most récépissés are handed over between two weeks and four months after the deposit;
        some wait longer (the follow-up's overdue list has something to show)."""
        rng = self.recepisse_rng
        handed = deposited + timedelta(days=rng.randint(14, 135), hours=rng.randint(0, 3))
        if handed.date() >= self.opts.day or rng.random() < 0.12:
            return
        valid_from = local(handed).date()
        s.add(Recepisse(dossier_id=dossier.id, appointment_id=None,
                        number=f"R{rng.randint(10**9, 10**10 - 1)}", valid_from=valid_from,
                        valid_until=valid_from + timedelta(days=rng.choice((91, 182))),
                        work_mention=rng.choice(WORK_MENTIONS), handed_at=handed,
                        handed_by=agent.user_id, station="DEMO"))

    def _await_pieces(self, dossier: Dossier, when: datetime) -> None:
        """Pieces asked for by a dated letter; nine in ten of those due by now have come."""
        dossier.pieces_due_by = working_day(when.date() + timedelta(days=30))
        arrived = when + timedelta(days=self.rng.randint(3, 45))
        if arrived < self.ctx.clock.now() and self.rng.random() < 0.9:
            for piece in dossier.pieces:
                if piece.status == "missing":
                    piece.status, piece.received_at = "received", arrived
            dossier.pieces_completed_at = arrived
            dossier.recepisse_due_on = local(arrived).date() + timedelta(days=120)
        else:
            dossier.recepisse_due_on = None  # due once the last piece is in

    def past_day(self, s: Session, day: date) -> int:
        slots = self.slots(day, self.opts.per_day, OPENING, CLOSING)
        served: list[tuple[datetime, int, Appointment, str, Actor]] = []
        for slot in slots:
            a = self.new(s, day, slot, self.rng.choice(self.paper).code)
            s.flush()
            roll = self.rng.random()
            start = at_paris(day, slot)
            if roll < 0.10:
                a.outcome, a.finished_at = "no_show", start + timedelta(hours=2)
                continue
            if roll < 0.13:
                a.outcome, a.finished_at = "cancelled", start - timedelta(days=1)
                continue
            agent = self.rng.choice(self.agents)
            arrived = start - timedelta(minutes=self.rng.randint(-10, 25))
            done = self.serve(a, arrived, self.rng.randint(2, 45), agent)
            outcome = "redirected" if roll < 0.18 else "incomplete" if roll < 0.32 else "deposited"
            served.append((done, len(served), a, outcome, agent))
        self._finish_in_order(s, served)
        return len(slots)

    def _finish_in_order(self, s: Session,
                         served: list[tuple[datetime, int, Appointment, str, Actor]]) -> None:
        """Register the day's outcomes by finishing time: numbers follow deposit times."""
        for done, _order, a, outcome, agent in sorted(served, key=lambda row: row[:2]):
            self.finish(s, a, outcome, done, agent)

    def today(self, s: Session, now: datetime) -> int:
        """Today's slots within the opening hours; each one's stage follows the current time
        (before opening everyone is expected, after closing the day is served)."""
        day = local(now).date()
        served: list[tuple[datetime, int, Appointment, str, Actor]] = []
        # One person at most per counter right now, and guichet 1 free: the demo's user works
        # there (`rdv-desktop --demo` signs in at guichet 1 and must be able to call).
        free_counters = [4, 3, 2]
        for slot in (slots := self.slots(day, self.opts.per_day, OPENING, CLOSING)):
            a = self.new(s, day, slot, self.rng.choice(self.paper).code)
            s.flush()
            when = at_paris(day, slot)
            late_by = (now - when).total_seconds() / 60
            roll = self.rng.random()
            if late_by < -40 or (late_by > 10 and roll < 0.12) or (late_by > -40 and roll > 0.9):
                continue  # expected, or late and not arrived
            arrived = min(now - timedelta(minutes=2),
                          when - timedelta(minutes=self.rng.randint(-5, 20)))
            a.ticket = ticket_number(s, self.ctx.site_code, day.isoformat())
            agent = self.rng.choice(self.agents)
            served_by = arrived + timedelta(minutes=self.rng.randint(2, 25))
            if late_by < 15 or served_by > now or (late_by < 45 and roll < 0.3):
                a.arrived_at, a.arrival_station = arrived, "ACCUEIL"
                if late_by > 0 and 0.3 <= roll < 0.45 and served_by <= now and free_counters:
                    a.called_at, a.counter_id = served_by, free_counters.pop()
                    a.agent_id = agent.user_id
                    if roll > 0.38:
                        a.service_started_at = served_by + timedelta(minutes=1)
                continue  # waiting, called or at the counter
            done = self.serve(a, arrived, int((served_by - arrived).total_seconds() // 60), agent)
            if done > now:  # still at the counter, if one is free; else still waiting
                a.finished_at = None
                if free_counters:
                    a.counter_id = free_counters.pop()
                else:
                    a.called_at = a.counter_id = a.agent_id = a.service_started_at = None
                continue
            outcome = "redirected" if roll < 0.34 else "incomplete" if roll < 0.45 else "deposited"
            served.append((done, len(served), a, outcome, agent))
        self._finish_in_order(s, served)
        return len(slots)


def refuse_live_database(services: Services) -> None:
    """Demo data (with its published password) only goes into an empty or a demo database."""
    demo_logins = {login for login, _name, _roles in DEMO_USERS}
    with services.ctx.db.read() as s:
        if s.scalar(select(AuditEvent.id).where(AuditEvent.action == "demo_generated")
                    .limit(1)) is not None:
            return  # already a demonstration database
        others = s.scalars(select(User.login).where(User.login.not_in(demo_logins))).all()
        appointments = s.scalar(select(func.count(Appointment.id))) or 0
    if others or appointments:
        raise ValidationError(
            f"Cette base contient des données réelles ({appointments} rendez-vous, "
            f"{len(others)} compte(s) hors démonstration) : la démonstration y est refusée, "
            "car elle créerait des comptes au mot de passe publié et prendrait de vrais "
            "numéros de dossier. Utilisez une base vide (--db).")


def generate_demo(services: Services, admin: Actor, opts: DemoOptions) -> DemoSummary:
    refuse_live_database(services)
    actors = ensure_demo_users(services, admin)
    gen = _Generator(services, opts, [actors["agent"], actors["agent2"], actors["chef"]],
                     admin)
    now = services.ctx.clock.now()
    total = 0
    with services.ctx.db.write(long=True) as s:
        gen.site_id = services.appointments.site_id(s)
        day = opts.day - timedelta(days=opts.days_back)
        while day < opts.day:
            if day.weekday() < 5:
                total += gen.past_day(s, day)
            day += timedelta(days=1)
        today = gen.today(s, now) if opts.day == local(now).date() else gen.past_day(s, opts.day)
        total += today
        record(s, admin, now, "demo_generated", "demo", opts.day.isoformat(),
               after={"appointments": total, "deposits": gen.deposits, "seed": opts.seed})
    return DemoSummary(total, gen.deposits, today)
