"""Scanning a convocation with the desk's webcam (QtMultimedia), decoded off the UI thread.

QtMultimedia ships in the PySide6-Addons wheel (the optional `media` extra) and needs the
system's media libraries; it is imported only when the clerk turns the camera on, so a station
without it (or without a camera) still starts and says why in one French sentence. Frames are
sampled at most DECODES_PER_S times a second and decoded by zxing-cpp in a single worker
thread; the same code seen on consecutive frames is reported once.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from .accessibility import SpokenLabel
from .media_quiet import NOT_INSTALLED, media_installed, quiet_media_probes
from .worker import run_in_background

DECODES_PER_S = 5
SAME_CODE_QUIET_S = 4.0  # the QR stays in view: report it once, not at every frame
NO_MODULE = ("Caméra indisponible : le module vidéo de Qt (QtMultimedia) ne peut pas être "
             "chargé sur ce poste ({why}). Le lecteur USB et la recherche par nom fonctionnent.")
NOT_HERE = (f"Caméra indisponible : {NOT_INSTALLED}. Le lecteur USB et la recherche par nom "
            "fonctionnent.")
NO_CAMERA = ("Aucune caméra détectée sur ce poste. Le lecteur USB et la recherche par nom "
             "fonctionnent.")


def decode_image(image: QImage) -> list[str]:
    """Texts of the QR codes in one frame (runs in a worker: no widget is touched)."""
    import zxingcpp
    from PIL import Image

    if image.isNull():
        return []
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    raw = bytes(grey.constBits())  # copied: the frame's buffer may be reused by the camera
    picture = Image.frombuffer("L", (grey.width(), grey.height()), raw, "raw", "L",
                               grey.bytesPerLine(), 1)
    return [b.text for b in zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
            if b.text]


class CameraScanner(QWidget):
    """Preview plus decoding; `decoded` carries each new code text."""

    decoded = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Caméra")
        self.note = SpokenLabel("État de la caméra", "Caméra arrêtée.")
        self.note.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.note)
        self.available = False
        self.camera: Any = None
        self.session: Any = None
        self.preview: Any = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._busy = False
        self._last_frame = 0.0
        self._last_code = ("", 0.0)

    def start(self) -> bool:
        """Open the first camera; False (and a note saying why) when there is none."""
        if self.camera is not None:
            self.camera.start()
            return True
        if not media_installed():
            self.note.setText(NOT_HERE)
            return False
        try:
            quiet_media_probes()
            from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices
            from PySide6.QtMultimediaWidgets import QVideoWidget
        except ImportError as exc:  # missing system media libraries
            self.note.setText(NO_MODULE.format(why=str(exc).split(":")[0]))
            return False
        devices = QMediaDevices.videoInputs()
        if not devices:
            self.note.setText(NO_CAMERA)
            return False
        self.camera = QCamera(devices[0], self)
        self.session = QMediaCaptureSession(self)
        self.preview = QVideoWidget(self)
        self.preview.setMinimumSize(320, 240)
        self.session.setCamera(self.camera)
        self.session.setVideoOutput(self.preview)
        self.preview.videoSink().videoFrameChanged.connect(self._frame)
        self.camera.errorOccurred.connect(
            lambda _error, text: self.note.setText(f"Erreur de la caméra : {text}"))
        self.layout_.addWidget(self.preview, 1)
        self.note.setText(f"Caméra : {devices[0].description()}. Présentez le QR code.")
        self.available = True
        self.camera.start()
        return True

    def stop(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.note.setText("Caméra arrêtée.")

    def _frame(self, frame: Any) -> None:
        now = time.monotonic()
        if self._busy or now - self._last_frame < 1.0 / DECODES_PER_S:
            return
        self._last_frame = now
        image = frame.toImage()
        self._busy = True
        run_in_background(lambda: decode_image(image), self._decoded, self._failed, self.pool)

    def _decoded(self, texts: list[str]) -> None:
        self._busy = False
        if isValid(self):  # the desk may have closed while the frame was decoded
            self.report(texts)

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        if isValid(self.note):
            self.note.setText(f"Image de la caméra illisible ({exc}).")

    def report(self, texts: list[str]) -> None:
        """Emit each new code, ignoring the one still in view."""
        now = time.monotonic()
        for text in texts:
            last, when = self._last_code
            if text == last and now - when < SAME_CODE_QUIET_S:
                continue
            self._last_code = (text, now)
            self.decoded.emit(text)
