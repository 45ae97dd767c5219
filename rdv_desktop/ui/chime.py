"""Short sounds made with the standard library, played if possible: the waiting room's
two-tone chime and the arrival desk's « accepted » and « refused » tones.

QtMultimedia (PySide6-Addons, the optional `media` extra) plays the WAV; without it, or
without a sound device, the system beep does (`play` says which). The files are generated
once (`write_all`) and shipped in resources/sounds.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from ..paths import resource
from .media_quiet import media_installed, quiet_media_probes

RATE = 22050
NOTES = ((659.25, 0.32), (523.25, 0.55))  # E5 then C5: the usual "ding-dong"
SCAN_OK_NOTES = ((1046.5, 0.12), (1568.0, 0.2))  # C6 then G6: short and rising
SCAN_REFUSED_NOTES = ((233.08, 0.22), (233.08, 0.22), (196.0, 0.4))  # low, repeated, falling
SOUNDS = {"chime.wav": NOTES, "scan_ok.wav": SCAN_OK_NOTES, "scan_refused.wav": SCAN_REFUSED_NOTES}
VOLUME = 0.45


def chime_path() -> Path:
    return resource("sounds", "chime.wav")


def sound_path(name: str) -> Path:
    return resource("sounds", name)


def write_all(folder: Path | None = None) -> None:
    """(Re)generate every shipped sound (in resources/sounds unless told)."""
    for name, notes in SOUNDS.items():
        write_chime(folder / name if folder else sound_path(name), notes)


def write_chime(path: Path, notes: tuple[tuple[float, float], ...] = NOTES) -> Path:
    """A 16-bit mono sequence of notes with soft attack and decay (no clicks)."""
    frames = bytearray()
    for frequency, seconds in notes:
        count = int(RATE * seconds)
        for n in range(count):
            t = n / RATE
            envelope = min(1.0, n / (0.01 * RATE)) * math.exp(-3.2 * t / seconds)
            sample = VOLUME * envelope * (math.sin(2 * math.pi * frequency * t)
                                          + 0.3 * math.sin(4 * math.pi * frequency * t)) / 1.3
            frames += struct.pack("<h", int(sample * 32767))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


class Chime(QObject):
    """Plays one sound (the chime unless told); falls back to the system beep."""

    def __init__(self, parent: QObject | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.path = path or chime_path()
        self._effect: Any = None
        self._tried = False

    def _load(self) -> Any:
        if self._tried:
            return self._effect
        self._tried = True
        path = self.path
        if not path.exists() or not media_installed():
            return None
        try:
            quiet_media_probes()
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError:
            return None
        if not QMediaDevices.audioOutputs():
            return None
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        effect.setVolume(0.8)
        self._effect = effect
        return effect

    def play(self) -> str:
        """Ring once; returns how ("son" or "bip") for the status line and tests."""
        effect = self._load()
        if effect is not None:
            effect.play()
            return "son"
        QApplication.beep()
        return "bip"
