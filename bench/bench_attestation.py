"""Time to render one attestation de dépôt, against the floor measured in the same run.

Floor: a bare reportlab A4 canvas with the same QR (same payload, same ``qr_matrix`` and
``draw_qr``), saved to bytes — the part no layout work can avoid. Goal: ratio ≤ 1.5.
Prints one JSON document. Usage: python bench/bench_attestation.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import platform
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from rdv_desktop.printing.attestation import render_attestation
from rdv_desktop.printing.data import Applicant, AttestationData, PieceLine, SiteInfo, Timbre
from rdv_desktop.printing.fonts import register_fonts
from rdv_desktop.printing.qr import draw_qr, qr_matrix

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
PAYLOAD = "RDV1:A:K7Q2M4PX:CANTAL:CANTAL-2026-000123:202611261432:" + "".join(
    BASE32[(i * 7 + 3) % 32] for i in range(103)
)
QR_SIZE = 44 * 72 / 25.4


def sample() -> AttestationData:
    """A typical complete AES dossier: 15 pieces, one missing, two timbres."""
    pieces = tuple(
        PieceLine(f"Pièce justificative n° {i + 1} — original et copie") for i in range(15)
    )
    return AttestationData(
        site=SiteInfo(
            "Préfecture du Cantal",
            "Bureau de l'immigration et de l'intégration",
            "Cours Monthyon, 15000 Aurillac",
            "CANTAL",
        ),
        dossier_number="CANTAL-2026-000123",
        deposited_at=datetime(2026, 11, 26, 14, 32, tzinfo=ZoneInfo("Europe/Paris")),
        agent_id="AG-0042",
        applicant=Applicant(
            "Nguyễn",
            "Thị Ánh",
            date(1991, 3, 4),
            "Hà Nội",
            "vietnamienne",
            "7512345678",
            "12 rue des Carmes, 15000 Aurillac",
        ),
        motif_label="Admission exceptionnelle au séjour – vie privée et familiale",
        ceseda_ref="L435-1",
        request_kind="Première demande",
        pieces_received=pieces,
        pieces_missing=(PieceLine("Avis d'imposition", "le dernier disponible"),),
        timbres=(Timbre("1234567890123456", 5000), Timbre("6543210987654321", 5000)),
        qr_payload=PAYLOAD,
        human_code="K7Q2-M4PX-0123",
    )


def floor() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    draw_qr(canvas, qr_matrix(PAYLOAD), 400, 650, QR_SIZE)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    runs = parser.parse_args().runs
    data = sample()
    register_fonts()
    for _ in range(5):  # warm-up: imports, font registration, caches
        render_attestation(data)
        floor()
    timings: dict[str, list[float]] = {"attestation": [], "floor": []}
    jobs: dict[str, Callable[[], bytes]] = {
        "attestation": lambda: render_attestation(data),
        "floor": floor,
    }
    for _ in range(runs):  # interleaved so that machine noise hits both alike
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            timings[name].append(time.perf_counter() - start)
    result = {name: summary(values) for name, values in timings.items()}
    result["ratio_median"] = round(
        result["attestation"]["median_ms"] / result["floor"]["median_ms"], 2
    )
    result["goal_ratio"] = 1.5
    result["runs"] = runs
    result["pdf_bytes"] = {"attestation": len(render_attestation(data)), "floor": len(floor())}
    result["python"] = platform.python_version()
    # reportlab 4 ships its C accelerators separately (``reportlab[accel]``); without them
    # number formatting, string widths and font checksums run in pure Python.
    result["rl_accel"] = importlib.util.find_spec("_rl_accel") is not None
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
