"""A screen reader's view of rdv-desktop, through the real AT-SPI stack.

Runs under /usr/bin/python3 (Debian's gi bindings for libatspi) inside `dbus-run-session`, on
an Xvfb display. It starts the app (the command after `--`), walks the accessibility tree of
each screen, presses keys as a person does (xdotool) and records every event a screen reader
would hear. It asserts nothing: it writes what it saw as JSON to OUT, and the pytest side
(test_screen_reader.py) judges.

    probe.py SCENARIO OUT.json [key=value ...] -- APP-COMMAND...

Scenarios: `counter` (sign-in, queue, checklist, dashboard, shortcut list) and `desk`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

WAIT_S = 30.0
TABLE_CHILDREN = 40  # headers come first: enough to see them and the first rows
EVENT_TYPES = ("object:text-changed", "object:announcement", "object:property-change",
               "object:state-changed:focused", "object:state-changed:showing",
               "object:value-changed")
STATES = {"focusable": Atspi.StateType.FOCUSABLE, "showing": Atspi.StateType.SHOWING,
          "enabled": Atspi.StateType.ENABLED, "focused": Atspi.StateType.FOCUSED}


def describe(acc: Any) -> dict[str, Any]:
    try:
        return {"role": acc.get_role_name(), "name": acc.get_name() or "",
                "description": acc.get_description() or ""}
    except GLib.Error:
        return {"role": "?", "name": "", "description": ""}


def ancestors(acc: Any) -> list[dict[str, Any]]:
    chain = []
    parent = acc.get_parent() if acc is not None else None
    while parent is not None and len(chain) < 30:
        chain.append(describe(parent))
        if parent.get_role() == Atspi.Role.APPLICATION:
            break
        parent = parent.get_parent()
    return chain


class Probe:
    def __init__(self, command: list[str]) -> None:
        self.events: list[dict[str, Any]] = []
        self.focus: Any = None
        self.report: dict[str, Any] = {"screens": {}, "tabs": {}, "steps": {},
                                       "events": self.events}
        self._listener = Atspi.EventListener.new(self._on_event)
        for kind in EVENT_TYPES:
            self._listener.register(kind)
        self.started = time.monotonic()
        self.app_process = subprocess.Popen(command)
        self.app: Any = None

    # -- events ------------------------------------------------------------------------------

    def _on_event(self, event: Any) -> None:
        source = event.source
        record = {"type": event.type, "detail1": event.detail1,
                  "data": "" if isinstance(event.any_data, Atspi.Accessible)
                  else str(event.any_data if event.any_data is not None else ""),
                  **describe(source), "t": round(time.monotonic() - self.started, 3)}
        if event.type.startswith("object:state-changed:focused") and event.detail1:
            self.focus = source
            record["ancestors"] = ancestors(source)
        self.events.append(record)

    def pump(self, seconds: float, until: Callable[[], Any] | None = None) -> Any:
        """Dispatch AT-SPI events until `until()` is truthy (returned) or time is up."""
        context = GLib.MainContext.default()
        end = time.monotonic() + seconds
        while True:
            while context.pending():
                context.iteration(False)
            if until is not None:
                found = until()
                if found:
                    return found
            if time.monotonic() >= end:
                return None
            if self.app_process.poll() is not None:
                raise RuntimeError(f"the app exited ({self.app_process.returncode})")
            time.sleep(0.02)

    def mark(self) -> int:
        return len(self.events)

    def wait_event(self, since: int, test: Callable[[dict[str, Any]], bool],
                   seconds: float = WAIT_S) -> dict[str, Any] | None:
        def seen() -> dict[str, Any] | None:
            return next((e for e in self.events[since:] if test(e)), None)

        return self.pump(seconds, seen)

    @staticmethod
    def said(event: dict[str, Any]) -> str | None:
        """What a screen reader says unasked for this event: an AT-SPI announcement, or a
        notification appearing (Orca speaks those; Orca 43 ignores announcements)."""
        if event["type"] == "object:announcement":
            return str(event["data"])
        if (event["type"] == "object:state-changed:showing" and event["detail1"] == 1
                and event["role"] == "notification"):
            return str(event["name"])
        return None

    def heard_after(self, key: str, *words: str) -> dict[str, Any] | None:
        """Press `key`, then wait for what is said unasked with all those words."""
        since = self.mark()
        self.keys(key)
        return self.announcement(since, *words)

    def announcement(self, since: int, *words: str) -> dict[str, Any] | None:
        """The first thing said since `since` that carries all those words."""
        def heard(event: dict[str, Any]) -> bool:
            text = self.said(event)
            return text is not None and all(w in text for w in words)

        found = self.wait_event(since, heard)
        return None if found is None else {**found, "data": self.said(found)}

    # -- the tree ----------------------------------------------------------------------------

    def application(self) -> Any:
        def find() -> Any:
            desktop = Atspi.get_desktop(0)
            for i in range(desktop.get_child_count()):
                child = desktop.get_child_at_index(i)
                if child is not None and child.get_name() == "rdv-desktop":
                    return child
            return None

        self.app = self.pump(WAIT_S, find)
        if self.app is None:
            raise RuntimeError("rdv-desktop never appeared on the accessibility bus")
        return self.app

    def window(self, title_part: str, seconds: float = WAIT_S) -> Any:
        def find() -> Any:
            for i in range(self.app.get_child_count()):
                child = self.app.get_child_at_index(i)
                if child is not None and title_part in (child.get_name() or ""):
                    return child
            return None

        found = self.pump(seconds, find)
        if found is None:
            raise RuntimeError(f"no window named « {title_part} »")
        return found

    def window_gone(self, title_part: str, seconds: float = WAIT_S) -> bool:
        def gone() -> bool:  # a closed dialog may stay in the tree, no longer showing
            windows = (self.app.get_child_at_index(i) for i in range(self.app.get_child_count()))
            return not any(title_part in (w.get_name() or "")
                           and w.get_state_set().contains(Atspi.StateType.SHOWING)
                           for w in windows if w is not None)

        return bool(self.pump(seconds, gone))

    def find(self, root: Any, role: str, name: str | None, seconds: float = WAIT_S) -> Any:
        """The first object of that role and name (None: any name) under `root`."""
        def search() -> Any:
            return self._search(root, role, name)

        found = self.pump(seconds, search)
        if found is None:
            raise RuntimeError(f"no {role} named « {name or '*'} »")
        return found

    def _search(self, acc: Any, role: str, name: str | None, depth: int = 0) -> Any:
        if acc is None or depth > 40:
            return None
        try:
            if acc.get_role_name() == role and name in (None, acc.get_name() or ""):
                return acc
            count = acc.get_child_count()
            if acc.get_role_name() == "table":
                return None  # nothing this probe looks for lives inside a table
            for i in range(count):
                hit = self._search(acc.get_child_at_index(i), role, name, depth + 1)
                if hit is not None:
                    return hit
        except GLib.Error:
            return None
        return None

    def snapshot(self, root: Any) -> list[dict[str, Any]]:
        """Every object on screen under `root` (the first rows of tables), with what a reader
        gets; the inside of hidden screens is left out."""
        nodes: list[dict[str, Any]] = []

        def walk(acc: Any, path: str, depth: int) -> None:
            if acc is None or depth > 40:
                return
            try:
                node = describe(acc)
                states = acc.get_state_set()
                node.update({key: states.contains(state) for key, state in STATES.items()})
                node["path"] = path
                node["labelled_by"] = [
                    (relation.get_target(i).get_name() or "")
                    for relation in acc.get_relation_set()
                    if relation.get_relation_type() == Atspi.RelationType.LABELLED_BY
                    for i in range(relation.get_n_targets())]
                text = acc.get_text_iface()
                if text is not None:
                    node["text"] = text.get_text(0, min(text.get_character_count(), 2000))
                nodes.append(node)
                if not node["showing"] and depth:
                    return  # a hidden screen's objects: nothing there is on screen
                count = acc.get_child_count()
                if node["role"] in ("table", "tree table", "list", "tree"):
                    count = min(count, TABLE_CHILDREN)
                for i in range(count):
                    walk(acc.get_child_at_index(i), f"{path}/{i}", depth + 1)
            except GLib.Error:
                return

        walk(root, "0", 0)
        return nodes

    def screen(self, name: str, root: Any) -> None:
        self.report["screens"][name] = self.snapshot(root)

    # -- the keyboard ------------------------------------------------------------------------

    def focus_window(self, title_part: str) -> None:
        """Give the X input focus to the app's window of that title (no window manager)."""
        found = subprocess.run(["xdotool", "search", "--name", title_part],
                               capture_output=True, text=True).stdout.split()
        if found:
            subprocess.run(["xdotool", "windowfocus", "--sync", found[-1]],
                           capture_output=True, timeout=10)

    def keys(self, *names: str) -> None:
        for name in names:
            subprocess.run(["xdotool", "key", "--clearmodifiers", name], check=True)
            self.pump(0.05)

    def type(self, text: str) -> None:
        subprocess.run(["xdotool", "type", "--delay", "15", text], check=True)
        self.pump(0.1)

    def focus_on(self, acc: Any) -> bool:
        """Focus that object (AT-SPI's grab_focus) and wait until the app says so."""
        want = describe(acc)
        if self.focus is not None and self._within(
                {**describe(self.focus), "ancestors": ancestors(self.focus)}, want):
            return True  # already there: grabbing it again says nothing
        since = self.mark()
        acc.grab_focus()

        def there() -> bool:  # a focus event, or (focus given back silently) its state
            return acc.get_state_set().contains(Atspi.StateType.FOCUSED) or any(
                e["type"].endswith("focused") and e["detail1"] == 1 and self._within(e, want)
                for e in self.events[since:])

        return bool(self.pump(10.0, there))

    @staticmethod
    def _within(event: dict[str, Any], target: dict[str, Any]) -> bool:
        def same(node: dict[str, Any]) -> bool:
            return node["role"] == target["role"] and node["name"] == target["name"]

        return same(event) or any(same(a) for a in event.get("ancestors", []))

    def tab_leaves(self, table: Any, label: str) -> None:
        """Focus the table, press Tab then Shift+Tab: where does the focus go each time?"""
        target = describe(table)
        result: dict[str, Any] = {}
        for direction, key in (("forward", "Tab"), ("backward", "shift+Tab")):
            if not self.focus_on(table):
                result[direction] = {"error": "the table never took the focus"}
                continue
            since = self.mark()
            self.keys(key)
            moved = self.wait_event(since, lambda e: e["type"].endswith("focused")
                                    and e["detail1"] == 1, 5.0)
            if moved is None:
                result[direction] = {"left": False, "to": None}
            else:
                result[direction] = {"left": not self._within(moved, target),
                                     "to": {"role": moved["role"], "name": moved["name"]}}
        self.report["tabs"][label] = result

    def close(self) -> None:
        if self.app_process.poll() is None:
            self.app_process.terminate()
            try:
                self.app_process.wait(10)
            except subprocess.TimeoutExpired:
                self.app_process.kill()


# -- scenarios ---------------------------------------------------------------------------------

def sign_in(probe: Probe, login: str, wrong: str, password: str) -> Any:
    """A failed sign-in, then the right one; returns the main window."""
    probe.application()
    dialog = probe.window("Connexion")
    login_field = probe.find(dialog, "text", "Identifiant")
    probe.focus_window("Connexion")
    probe.focus_on(login_field)
    probe.type(login)
    since = probe.mark()
    probe.keys("Tab")
    probe.wait_event(since, lambda e: e["role"] == "password text" and e["detail1"] == 1)
    probe.type(wrong)
    probe.pump(0.3)
    field = probe.find(dialog, "password text", "Mot de passe")
    probe.report["steps"]["password_after_typing"] = probe.snapshot(field)[0]
    probe.report["steps"]["sign_in_error"] = probe.heard_after("Return", "incorrect")
    probe.screen("login", dialog)
    probe.type(password)
    probe.keys("Return")
    window = probe.window("rdv-desktop — CANTAL")
    probe.focus_window("rdv-desktop — CANTAL")
    return window


def counter(probe: Probe, options: dict[str, str]) -> None:
    window = sign_in(probe, "chef", options["wrong"], options["password"])
    probe.pump(WAIT_S, lambda: probe.focus is not None
               and describe(probe.focus)["role"] != "password text")
    probe.report["steps"]["first_focus"] = describe(probe.focus)
    table = probe.find(window, "table", "File du jour")
    probe.pump(WAIT_S, lambda: any(n["name"].startswith("Attendus : ")
                                   and not n["name"].endswith(": 0")
                                   for n in probe.snapshot(window) if n["role"] == "label"))
    probe.screen("queue", window)
    probe.tab_leaves(table, "File du jour")

    probe.focus_on(table)
    probe.report["steps"]["call_next"] = probe.heard_after("F2")
    probe.keys("F4")
    checklist = probe.window("Contrôle du dossier")
    pieces = probe.find(checklist, "table", "Pièces du dossier")
    motif = probe.find(checklist, "combo box", None)  # the first one: « Motif : »
    if any("Choisissez" in n["name"] + n["description"] for n in probe.snapshot(checklist)):
        # A person booked with a motif to confirm (the demo has some): the agent picks the
        # first motif of the list, as at the counter, so there are pieces to mark.
        probe.focus_on(motif)
        probe.keys("Down")
        probe.pump(WAIT_S, lambda: any(n["name"] == "Pièces manquantes" and "•" in
                                       n["description"] for n in probe.snapshot(checklist)))
    probe.screen("checklist", checklist)
    probe.tab_leaves(pieces, "Pièces du dossier")
    probe.focus_on(pieces)
    probe.report["steps"]["mark_received"] = probe.heard_after("r", "reçu")
    probe.keys("F1")  # the shortcut list from inside the (window-modal) checklist
    probe.screen("shortcuts", probe.window("Raccourcis clavier"))
    probe.keys("Escape")
    probe.window_gone("Raccourcis clavier")
    probe.focus_window("Contrôle du dossier")
    probe.focus_on(pieces)
    probe.report["steps"]["all_received"] = probe.heard_after("ctrl+shift+r", "Tout reçu")
    probe.keys("Escape")  # pieces are marked: the checklist asks before losing them
    if not probe.window_gone("Contrôle du dossier", seconds=3.0):
        probe.keys("alt+f")  # the question's « Fermer sans enregistrer »
        probe.window_gone("Contrôle du dossier")

    page = probe.find(window, "page tab", "Tableau de bord")
    Atspi.Selection.select_child(page.get_parent(), page.get_index_in_parent())
    detail = probe.find(window, "table", "Chiffres détaillés")
    # The report is computed in a worker: wait for its first figure, not for a fixed time.
    probe.pump(WAIT_S, lambda: any(
        n["name"] == "Rendez-vous" and n["description"] not in ("", "—")
        for n in probe.snapshot(window) if n["role"] == "label" and n["showing"]))
    probe.screen("dashboard", window)
    probe.focus_window("rdv-desktop — CANTAL")
    probe.tab_leaves(detail, "Chiffres détaillés")


def desk(probe: Probe, options: dict[str, str]) -> None:
    window = sign_in(probe, "accueil", options["wrong"], options["password"])
    scan = probe.find(window, "text", "Code scanné")
    probe.screen("desk", window)
    probe.focus_on(scan)
    probe.type("INCONNU-0000")
    probe.report["steps"]["scan_unknown"] = probe.heard_after("Return")
    probe.focus_on(scan)
    probe.type(options["reference"])
    answer = probe.heard_after("Return")
    if answer is not None and "Ticket" not in answer["data"]:
        # Early or late: the clerk accepts with F9, as at the desk.
        answer = probe.heard_after("F9", "Ticket")
    probe.report["steps"]["scan_arrival"] = answer
    probe.report["steps"]["focus_after_scan"] = describe(probe.focus) if probe.focus else None
    probe.screen("desk_after_scan", window)
    probe.keys("F7")
    probe.screen("walk-in", probe.window("Nouveau rendez-vous"))
    probe.keys("Escape")
    probe.window_gone("Nouveau rendez-vous")


def select_tab(probe: Probe, window: Any, title: str) -> None:
    page = probe.find(window, "page tab", title)
    Atspi.Selection.select_child(page.get_parent(), page.get_index_in_parent())
    probe.pump(WAIT_S, lambda: page.get_state_set().contains(Atspi.StateType.SELECTED))
    probe.pump(0.5)  # let a screen that loads on its first show fill itself


def office(probe: Probe, options: dict[str, str]) -> None:
    """The manager's and the administrator's screens, then the dialogs of the « Fichier »
    menu, each read as it is shown."""
    window = sign_in(probe, "admin", options["wrong"], options["password"])
    for title in ("Contrôle des dépôts", "Administration"):
        select_tab(probe, window, title)
        if title == "Administration":
            admin = probe.find(window, "page tab", "Utilisateurs").get_parent()
            children = (admin.get_child_at_index(i) for i in range(admin.get_child_count()))
            inner = [c.get_name() for c in children if c.get_role_name() == "page tab"]
            for name in inner:
                select_tab(probe, window, name)
                probe.screen(f"admin {name}", window)
        else:
            probe.screen(title, window)
    for keys, title in (("ctrl+shift+v", "Vérifier une attestation"),
                        ("ctrl+shift+i", "Importer")):
        probe.focus_window("rdv-desktop — CANTAL")
        probe.keys(keys)
        dialog = probe.window(title)
        probe.screen(title, dialog)
        probe.keys("Escape")
        probe.window_gone(title)


SCENARIOS = {"counter": counter, "desk": desk, "office": office}


def main(argv: list[str]) -> int:
    split = argv.index("--")
    scenario, out, *pairs = argv[:split]
    options = dict(pair.split("=", 1) for pair in pairs)
    probe = Probe(argv[split + 1:])
    try:
        SCENARIOS[scenario](probe, options)
    except Exception:
        probe.report["error"] = traceback.format_exc()
    finally:
        probe.report["seconds"] = round(time.monotonic() - probe.started, 2)
        probe.close()
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(probe.report, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
