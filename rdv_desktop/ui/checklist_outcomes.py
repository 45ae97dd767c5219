"""The checklist's outcomes: each one counter command in the window's executor, the dialog's
buttons disabled until it answers, a refusal shown in the dialog (nothing was written), and a
lost reply looked up (`settle`) every 2 s until the database answers.

A mixin of `ChecklistDialog` (checklist_dialog.py), which owns the widgets named below.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from ..errors import DatabaseUnavailable, OutcomeUnknown, RdvError
from ..services.counter import DepositRequest, PendingOutcome

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QLabel, QPushButton

    from ..services.catalogue import CatalogueInfo
    from ..services.core import Actor
    from ..services.counter import AppointmentView, CommandResult
    from ..services.setup import Services
    from .checklist_model import ChecklistModel
    from .executor import DbExecutor
    from .timbre_box import TimbreBox

SETTLE_RETRY_MS = 2000


class ChecklistOutcomes:
    if TYPE_CHECKING:  # the dialog's own widgets and state
        services: Services
        actor: Actor
        view: AppointmentView
        executor: DbExecutor
        catalogue: CatalogueInfo
        busy: bool
        model: ChecklistModel
        kind: QComboBox
        timbres: TimbreBox
        rebook: QCheckBox
        rebook_at: QDateTimeEdit
        handover_boxes: list[QCheckBox]
        message: QLabel
        deposit_button: QPushButton
        incomplete_button: QPushButton
        redirect_button: QPushButton
        act_done: SignalInstance

        def motif_code(self) -> str | None: ...
        def situations(self) -> frozenset[str]: ...
        def _refresh(self) -> None: ...
        def accept(self) -> None: ...

    def _owner(self) -> QObject:
        """The dialog itself: answers to a closed dialog are dropped."""
        assert isinstance(self, QObject)
        return self

    def _request(self) -> DepositRequest | None:
        code = self.motif_code()
        if code is None:
            self.message.setText("Choisissez d'abord le motif.")
            return None
        if self.timbres.number.text().strip() and not self.timbres.add_current():
            return None
        handed = tuple(box.text() for box in self.handover_boxes if box.isChecked())
        return DepositRequest(self.view.id, code, self.kind.currentText(), self.situations(),
                              self.model.checks(), tuple(self.timbres.entries), handed)

    def _fail(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, OutcomeUnknown):
            self._set_busy(True)
            self.message.setText(exc.message)
            return
        if isinstance(exc, RdvError):
            prefix = "Rien n'a été enregistré. " if isinstance(exc, DatabaseUnavailable) else ""
            self.message.setText(prefix + exc.message)
        else:
            self.message.setText(f"Rien n'a été enregistré : erreur inattendue ({exc}).")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.deposit_button, self.incomplete_button, self.redirect_button):
            button.setEnabled(not busy)
        if not busy:
            self._refresh()

    def _run(self, action: str, command: Callable[[], CommandResult]) -> None:
        if self.busy:
            return
        self._set_busy(True)
        self.message.setText("Enregistrement en cours…")
        pending = PendingOutcome(self.view.id, action, self.services.ctx.clock.now())

        def failed(exc: Exception) -> None:
            self._fail(exc)
            if isinstance(exc, OutcomeUnknown):
                self._settle(pending)

        self.executor.submit(command, self._done, failed, owner=self._owner())

    def _settle(self, pending: PendingOutcome) -> None:
        """Ask, until the database answers, whether the act whose reply was lost happened."""

        def answered(result: CommandResult) -> None:
            if result.dossier is not None or (result.view and result.view.outcome != "pending"):
                self._done(result)
            else:
                self._set_busy(False)
                self.message.setText(result.message)

        def still_down(_exc: Exception) -> None:
            QTimer.singleShot(SETTLE_RETRY_MS, self._owner(), lambda: self._settle(pending))

        self.executor.submit(lambda: self.services.counter.settle(self.actor, pending),
                             answered, still_down, owner=self._owner())

    def _done(self, result: CommandResult) -> None:
        self.busy = False
        self.accept()
        self.act_done.emit(result)

    def _request_for(self, button: QPushButton) -> DepositRequest | None:
        """The request behind an outcome's button, if the button allows it now (its shortcut
        reaches here even while it is disabled)."""
        return self._request() if button.isEnabled() else None

    def register_deposit(self) -> None:
        request = self._request_for(self.deposit_button)
        if request is None:
            return
        self._run("deposit", lambda: self.services.counter.register_deposit(self.actor, request))

    def register_incomplete(self) -> None:
        request = self._request_for(self.incomplete_button)
        if request is None:
            return
        when: datetime | None = None
        if self.rebook.isChecked():
            picked = self.rebook_at.dateTime().toPython()
            assert isinstance(picked, datetime)
            when = picked
        self._run("incomplete", lambda: self.services.counter.register_incomplete(
            self.actor, request, when))

    def redirect(self) -> None:
        code = self.motif_code()
        if code is None or not self.catalogue.motif(code).anef_redirect:
            return
        self._run("redirect", lambda: self.services.counter.redirect(self.actor, self.view.id,
                                                                     code))
