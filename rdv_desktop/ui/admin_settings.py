"""« Site et réglages »: the site's identity, its guichets, the timing tunables and dated fees.

All reads and changes go through `AdminService` (permission `settings.manage`, every change
audited with before and after values). Each block saves on its own button. The settings are read
when the tab is first opened; reads and changes run off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..french import fr_euros
from ..services.core import MENTIONS, SWITCHES, TUNABLES, Actor, fr_date, local_today
from ..services.setup import Services
from .accessibility import SpokenLabel, leave_on_tab
from .date_fields import date_field, day_of
from .first_show import LoadsOnFirstShow
from .table_model import TextRowsModel
from .worker import LatestOnly, run_in_background

if TYPE_CHECKING:
    from ..services.office import FeeInfo, SiteInfo

    # What one read brings back: the site and its guichets, the tunables, the dated fees.
    Snapshot = tuple[SiteInfo, dict[str, int | str | bool], list[FeeInfo]]

ERROR_STYLE = "color: #b00020; font-weight: bold"


def euros(cents: int) -> str:
    return fr_euros(cents)


def _table(headers: tuple[str, ...], name: str, stretch: int) -> QTableView:
    table = QTableView()
    leave_on_tab(table)
    table.setModel(TextRowsModel(headers, table))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _rows(table: QTableView) -> TextRowsModel:
    model = table.model()
    assert isinstance(model, TextRowsModel)
    return model


def _fill(table: QTableView, rows: list[tuple[str, ...]]) -> None:
    model = _rows(table)
    model.set_rows(rows)
    for column in range(model.columnCount()):
        if table.horizontalHeader().sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            table.resizeColumnToContents(column)


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


class SettingsPanel(LoadsOnFirstShow, QWidget):
    loaded = Signal()  # a read has answered: the settings or the refusal are shown
    changed = Signal(bool, str)  # a change has ended: done or refused, and the sentence shown

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = services.office.admin
        self.actor = actor
        self.reads = LatestOnly()
        self.counter_numbers: list[int] = []
        today = local_today(services.ctx.clock)

        self.name = _line("Nom du site")
        self.service = _line("Service")
        self.address = _line("Adresse")
        self.save_site = _button("Enregistrer le site", "Enregistrer le site")
        site_box = QGroupBox("Site")
        site_form = QFormLayout(site_box)
        site_form.addRow("&Nom", self.name)
        site_form.addRow("&Service", self.service)
        site_form.addRow("&Adresse", self.address)
        site_form.addRow("", self.save_site)

        self.counters = _table(("Numéro", "Libellé", "Ouvert"), "Guichets", 1)
        self.counter_label = _line("Libellé du nouveau guichet")
        self.counter_label.setPlaceholderText("Guichet N (par défaut)")
        self.add_counter = _button("Ajouter un guichet", "Ajouter un guichet")
        self.toggle_counter = _button("Ouvrir / fermer", "Ouvrir ou fermer le guichet")
        counter_box = QGroupBox("Guichets")
        counter_layout = QVBoxLayout(counter_box)
        counter_layout.addWidget(self.counters)
        row = QHBoxLayout()
        for w in (self.counter_label, self.add_counter, self.toggle_counter):
            row.addWidget(w)
        counter_layout.addLayout(row)

        self.tunables: dict[str, QSpinBox] = {}
        tunable_box = QGroupBox("Réglages")
        tunable_form = QFormLayout(tunable_box)
        for key, tunable in TUNABLES.items():
            spin = QSpinBox()
            spin.setRange(tunable.low, tunable.high)
            spin.setAccessibleName(tunable.label)
            self.tunables[key] = spin
            tunable_form.addRow(tunable.label, spin)
        self.save_tunables = _button("Enregistrer les réglages", "Enregistrer les réglages")
        tunable_form.addRow("", self.save_tunables)

        # What the attestation must state (CRPA R112-5, RGPD art. 13): printed as typed.
        self.mentions: dict[str, QLineEdit] = {}
        self.switches: dict[str, QCheckBox] = {}
        mention_box = QGroupBox("Mentions imprimées sur les documents")
        mention_form = QFormLayout(mention_box)
        for key, mention in MENTIONS.items():
            edit = _line(mention.label)
            edit.setMaxLength(mention.max_length)
            if mention.example:
                edit.setPlaceholderText(mention.example)
            self.mentions[key] = edit
            mention_form.addRow(mention.label, edit)
        for key, switch in SWITCHES.items():
            box = QCheckBox(switch.label)
            box.setAccessibleName(switch.label)
            self.switches[key] = box
            mention_form.addRow("", box)
        self.save_mentions = _button("Enregistrer les mentions", "Enregistrer les mentions")
        mention_form.addRow("", self.save_mentions)

        self.fees = _table(("Code", "Libellé", "Montant", "Depuis le"), "Tarifs", 1)
        self.fee_code = _line("Code du tarif")
        self.fee_label = _line("Libellé du tarif")
        self.fee_amount = QDoubleSpinBox()
        self.fee_amount.setRange(0, 100_000)
        self.fee_amount.setDecimals(2)
        self.fee_amount.setSuffix(" €")
        self.fee_amount.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))
        self.fee_amount.setAccessibleName("Montant du tarif")
        self.fee_from = date_field(today, "Tarif applicable à partir du")
        self.add_fee = _button("Ajouter le tarif", "Ajouter le tarif")
        fee_box = QGroupBox("Tarifs datés (un nouveau montant s'applique à partir de sa date)")
        fee_layout = QVBoxLayout(fee_box)
        fee_layout.addWidget(self.fees)
        fee_form = QHBoxLayout()
        for label, field in (("Code", self.fee_code), ("Libellé", self.fee_label),
                             ("Montant", self.fee_amount), ("à partir du", self.fee_from)):
            fee_form.addWidget(QLabel(label))
            fee_form.addWidget(field)
        fee_form.addWidget(self.add_fee)
        fee_layout.addLayout(fee_form)

        self.message = SpokenLabel("Message des réglages", live=True)
        self.message.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(site_box, 0, 0)
        grid.addWidget(tunable_box, 0, 1)
        grid.addWidget(counter_box, 1, 0)
        grid.addWidget(fee_box, 1, 1)
        grid.addWidget(mention_box, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.message)

        self.save_site.clicked.connect(self.store_site)
        self.add_counter.clicked.connect(self.new_counter)
        self.toggle_counter.clicked.connect(self.flip_counter)
        self.save_tunables.clicked.connect(self.store_tunables)
        self.save_mentions.clicked.connect(self.store_mentions)
        self.add_fee.clicked.connect(self.new_fee)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    # -- reading -------------------------------------------------------------------------------

    def load(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read everything in the background; `loaded` says when it is on screen."""
        ticket = self.reads.ticket()

        def done(snapshot: Snapshot) -> None:
            self._show(ticket, snapshot)
            self.loaded.emit()

        def failed(exc: Exception) -> None:
            self.say(_sentence(exc), error=True)
            self.loaded.emit()

        run_in_background(self._read, done, failed, owner=self)

    def _read(self) -> Snapshot:
        """Everything the screen shows, in one go; runs in a worker, so it touches no widget."""
        return (self.admin.site(self.actor), self.admin.settings(self.actor),
                self.admin.fees(self.actor))

    def _show(self, ticket: int, snapshot: Snapshot) -> None:
        if not self.reads.fresh(ticket):
            return  # a later read is already on screen
        site, values, fees = snapshot
        self.name.setText(site.name)
        self.service.setText(site.service)
        self.address.setText(site.address)
        self.counter_numbers = [number for number, _label, _active in site.counters]
        _fill(self.counters, [(str(n), label, "oui" if active else "non — fermé")
                              for n, label, active in site.counters])
        for key, spin in self.tunables.items():
            value = values[key]
            spin.setValue(value if isinstance(value, int) else 0)
        for key, edit in self.mentions.items():
            edit.setText(str(values[key]))
        for key, box in self.switches.items():
            box.setChecked(values[key] is True)
        _fill(self.fees, [(f.code, f.label, euros(f.amount_cents), fr_date(f.valid_from))
                          for f in fees])

    # -- changes -------------------------------------------------------------------------------

    def _apply(self, button: QPushButton, change: Callable[[], Any],
               done: Callable[[Any], str], after: Callable[[], None] | None = None) -> None:
        """Run `change` (values already taken from the widgets), then read everything again,
        off the UI thread. `button` stays disabled meanwhile: no change is sent twice. A refusal
        leaves the screen as it was, with the service's sentence under it."""
        if not button.isEnabled():
            return
        ticket = self.reads.ticket()
        button.setEnabled(False)

        def work() -> tuple[Any, Snapshot | None]:
            result = change()
            try:
                return result, self._read()
            except RdvError:  # the change is made: the values shown stay as they were
                return result, None

        def ok(outcome: tuple[Any, Snapshot | None]) -> None:
            result, snapshot = outcome
            button.setEnabled(True)
            if snapshot is not None:
                self._show(ticket, snapshot)
            if after is not None:
                after()
            text = done(result)
            self.say(text)
            self.changed.emit(True, text)

        def failed(exc: Exception) -> None:
            button.setEnabled(True)
            text = _sentence(exc)
            self.say(text, error=True)
            self.changed.emit(False, text)

        run_in_background(work, ok, failed, owner=self)

    def store_site(self) -> None:
        name, service, address = self.name.text(), self.service.text(), self.address.text()
        self._apply(self.save_site,
                    lambda: self.admin.update_site(self.actor, name, service, address),
                    lambda _site: "Site enregistré.")

    def new_counter(self) -> None:
        label = self.counter_label.text()
        self._apply(self.add_counter, lambda: self.admin.add_counter(self.actor, label),
                    lambda number: f"Guichet {number} ajouté.", self.counter_label.clear)

    def flip_counter(self) -> None:
        row = self.counters.currentIndex().row()
        if row < 0:
            self.say("Choisissez d'abord un guichet dans la liste.", error=True)
            return
        number = self.counter_numbers[row]
        opened = _rows(self.counters).text(row, 2) != "oui"
        self._apply(self.toggle_counter,
                    lambda: self.admin.set_counter_active(self.actor, number, opened),
                    lambda _none: f"Guichet {number} {'ouvert' if opened else 'fermé'}.",
                    lambda: self.counters.selectRow(row))

    def store_tunables(self) -> None:
        wanted = {key: spin.value() for key, spin in self.tunables.items()}
        self._apply(self.save_tunables, lambda: self._store(wanted),
                    lambda _none: "Réglages enregistrés.")

    def store_mentions(self) -> None:
        wanted: dict[str, int | str | bool] = {
            key: edit.text().strip() for key, edit in self.mentions.items()}
        wanted.update({key: box.isChecked() for key, box in self.switches.items()})
        self._apply(self.save_mentions, lambda: self._store(wanted),
                    lambda _none: "Mentions enregistrées.")

    def _store(self, wanted: Mapping[str, int | str | bool]) -> None:
        """Each changed value in turn (each audited); runs in a worker."""
        current = self.admin.settings(self.actor)
        for key, value in wanted.items():
            if current[key] != value:
                self.admin.set_setting(self.actor, key, value)

    def new_fee(self) -> None:
        code, label = self.fee_code.text(), self.fee_label.text()
        cents = round(self.fee_amount.value() * 100)
        day = day_of(self.fee_from)

        def cleared() -> None:
            self.fee_code.clear()
            self.fee_label.clear()

        self._apply(self.add_fee, lambda: self.admin.add_fee(self.actor, code, label, cents, day),
                    lambda _fee: f"Tarif ajouté : {euros(cents)} à partir du {fr_date(day)}.",
                    cleared)


def _sentence(exc: Exception) -> str:
    return exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}"
