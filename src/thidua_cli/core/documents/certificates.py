"""Printing onto pre-printed Giấy khen blanks (phôi; issue 12): only the lines that change
from one certificate to the next, each at a position in millimetres set in the regulation
(``[documents.certificates.fields]``), shifted by the printer's offsets. A calibration page
prints the same lines with their names, rulers and two "+" marks 20 mm from the corners, so
a clerk aligns once on one blank and then prints the 900 certificates.

Pure: positions in, positions out; ``render.py`` writes them as page-anchored frames."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from thidua_cli.config.sections import CertificateField, CertificateSettings

CALIBRATION_MARK_MM = 20.0  # the "+" marks stand this far from the top-left and bottom-right edges


@dataclass(frozen=True)
class Placed:
    """One line at its final place on the page: ``x_mm``/``y_mm`` the top-left corner of its
    box (offsets applied), ``width_mm`` the box, the text centred or left-aligned in it."""

    text: str
    x_mm: float
    y_mm: float
    width_mm: float
    size: float
    bold: bool = False
    italic: bool = False
    align: str = "center"


def field_texts(cert: Mapping[str, Any], decision: Mapping[str, Any], signer: Mapping[str, Any]) -> dict[str, str]:
    """The text of each line of one certificate (the names of ``CERTIFICATE_FIELDS``)."""
    return {
        "authority": str(decision["authority"]),
        "verb": str(cert["verb"]),
        "heading": str(cert["heading"]),
        "addressee": str(cert["addressee"]),
        "detail": str(cert["detail"]),
        "reason": str(cert["reason"]),
        "date_line": str(decision["date_line"]),
        "signer_title": str(signer["title"]),
        "signer_name": str(signer["name_line"]),
        "decision_line": str(cert["decision_line"]),
        "so_vang": f"Số sổ vàng: {cert['so_vang_text']}",
    }


def _place(text: str, f: CertificateField, settings: CertificateSettings) -> Placed:
    left = f.x_mm - f.width_mm / 2 if f.align == "center" else f.x_mm
    return Placed(text, round(left + settings.offset_x_mm, 2), round(f.y_mm + settings.offset_y_mm, 2),
                  f.width_mm, f.size, f.bold, f.italic, f.align)


def blank_pages(certificates: Sequence[Mapping[str, Any]], decision: Mapping[str, Any],
                signer: Mapping[str, Any], settings: CertificateSettings) -> list[list[Placed]]:
    """One page per certificate: its lines at their places (only the lines the blank leaves)."""
    pages = []
    for cert in certificates:
        texts = field_texts(cert, decision, signer)
        pages.append([_place(texts[name], f, settings) for name, f in settings.fields.items()])
    return pages


def calibration_page(sample: Mapping[str, str], settings: CertificateSettings) -> list[Placed]:
    """The page a clerk prints on one blank: every line with its setting's name ("[heading]
    CHIẾN SĨ THI ĐUA CƠ SỞ"), a ruler every 10 mm along the top and the left edges, and two
    "+" marks 20 mm from the top-left and bottom-right corners with how to read them."""
    out: list[Placed] = []
    ox, oy = settings.offset_x_mm, settings.offset_y_mm
    w, h = settings.page_width_mm, settings.page_height_mm
    for mm in range(10, int(w), 10):
        out.append(Placed(str(mm), mm - 5 + ox, 2 + oy, 10, 7))
    for mm in range(10, int(h), 10):
        out.append(Placed(str(mm), 1 + ox, mm - 1.5 + oy, 8, 7, align="left"))
    mark = CALIBRATION_MARK_MM
    for x, y in ((mark, mark), (w - mark, h - mark)):
        out.append(Placed("+", x - 5 + ox, y - 3 + oy, 10, 16, bold=True))
    out.append(Placed(
        f"Dấu + cách mép trái và mép trên {mark:g} mm. Đo trên tờ phôi vừa in: lệch bao nhiêu thì ghi "
        "vào offset_x_mm, offset_y_mm (số âm nếu dấu + nằm quá sang phải/xuống dưới).",
        mark + 8 + ox, mark - 2 + oy, w - 2 * mark - 16, 9, italic=True, align="left"))
    for name, f in settings.fields.items():
        out.append(_place(f"[{name}] {sample.get(name, '')}".strip(), f, settings))
    return out
