"""Every layout constant of the printed documents, in millimetres (font sizes in points).

One place so that a change of printer, paper or taste does not mean hunting numbers in code.
"""

from __future__ import annotations

PT_PER_MM = 72.0 / 25.4

PAGE_WIDTH_MM = 210.0  # A4 portrait
PAGE_HEIGHT_MM = 297.0

MARGIN_LEFT_MM = 18.0
MARGIN_RIGHT_MM = 18.0
MARGIN_TOP_MM = 12.0
MARGIN_BOTTOM_MM = 15.0
FOOTER_BASELINE_MM = 8.0

# Font sizes (pt) and line height as a multiple of the size.
SIZE_SITE = 11.0
SIZE_TITLE = 16.0
SIZE_NUMBER = 18.0
SIZE_WHEN = 13.0
SIZE_HEADING = 10.0
SIZE_BODY = 9.0
SIZE_LIST = 8.5
SIZE_NOTE = 7.5
SIZE_NOTICE = 6.8
SIZE_FOOTER = 7.0
SIZE_DUPLICATE_BAND = 10.5
SIZE_WATERMARK = 96.0
LEADING = 1.3
LEADING_LIST = 1.22  # piece lists and the notice: dense but still easy to read

GAP_SECTION_MM = 2.6
GAP_SMALL_MM = 1.4
HEADING_RULE_GAP_MM = 0.8
LABEL_WIDTH_MM = 36.0
BULLET_INDENT_MM = 4.5
NOTE_INDENT_MM = 4.5
CHECKBOX_MM = 3.0
BOX_PADDING_MM = 2.5
RULE_WIDTH_PT = 0.5

# The QR: total size *including* its 4-module quiet zone. For the signed payloads (version 7,
# 45 modules + 8 of quiet zone) the symbol itself is about 37 mm, about 5 px a module at 150 dpi.
QR_SIZE_MM = 44.0
QR_QUIET_ZONE_MODULES = 4
QR_COLUMN_GUTTER_MM = 6.0
SIZE_QR_CODE = 8.5
SIZE_QR_HELP = 6.8

# Fill-in-by-hand fields.
HANDFILL_LINE_MM = 45.0
HANDFILL_GAP_MM = 12.0

# Reprint watermark.
WATERMARK_GREY = 0.86
WATERMARK_ANGLE = 45.0

# Day list table.
DAY_ROWS_PER_PAGE = 40
DAY_ROW_HEIGHT_MM = 5.6
DAY_COLUMNS_MM = (16.0, 18.0, 58.0, 56.0, 26.0)  # heure, ticket, nom, motif, étape = 174 mm
DAY_SIZE_ROW = 8.5
DAY_ZEBRA_GREY = 0.94
