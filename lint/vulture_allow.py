"""Names vulture cannot see used: Qt and reportlab call them, SQLAlchemy sets them, pytest
collects them. Checked by `make lint` (vulture over rdv_desktop, tests and bench)."""

# ruff: noqa
# Qt virtual methods, called by Qt itself.
_.paintEvent
_.createEditor
_.setEditorData
_.setModelData
_.filterAcceptsRow
# Library attributes the code sets for the library to read.
_.useA85  # reportlab: uncompressed font streams
_.freeze_panes  # openpyxl
_.revoked_reason  # ORM columns written by services
_.cancelled_by
_.refreshed_at
_.received_at  # a piece à compléter that came later
_.passwordEdit  # QAccessible.State flags Qt reads (ui/accessibility.py, the password field)
_.editable
_.focusable
# Named values kept for readability or completeness.
PENDING  # Outcome enum member
CONDITION  # piece_draft_model column number
write_chime  # the tool that generates resources/sounds (see write_all)
# pytest: module marks and fixtures used by name or for their side effect.
pytestmark
nothing_left_running
accessible  # tests/a11y: QAccessible active for one test
station_files
history_snapshots
no_user_config
site_key
