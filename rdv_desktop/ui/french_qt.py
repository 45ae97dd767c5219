"""Qt itself in French: its dialogs' buttons, context menus, the calendar and number fields.

Qt ships its own translations (`qtbase_fr.qm`, in the folder `QLibraryInfo` names, inside the
PySide6 wheel or the bundle); without them « Cancel », « Copy » and « Monday » appear in a French
application. The French locale makes spin boxes write « 100,00 € » and calendars start on
Monday, whatever the PC's own locale.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)


def install_french(app: QCoreApplication) -> QTranslator | None:
    """Set the French locale and load Qt's French translations; the translator, or None if
    the .qm file is missing (Qt then stays in English, the application's own text is French)."""
    QLocale.setDefault(FRENCH)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(FRENCH, "qtbase", "_", folder):
        return None
    app.installTranslator(translator)
    return translator
