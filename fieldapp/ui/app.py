"""The desktop app: QApplication set-up, then enrollment or unlock, then the workspace; idle lock.

``run_gui`` is the entry point for ``fieldapp gui`` and ``fieldapp demo``. ``AppController`` owns
the windows and the open store and decides what is on screen; tests drive it directly.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from fieldapp import paths
from fieldapp.app import access
from fieldapp.app.settings import UiSettings, preset_server_url
from fieldapp.ui import i18n, style
from fieldapp.ui.access import EnrollmentWidget, UnlockWidget
from fieldapp.ui.compat import guard_singleton_refcounts
from fieldapp.ui.dialogs import SettingsDialog, inform
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.sync_adapter import SyncAdapter

log = logging.getLogger(__name__)

# Events that count as the collector using the app (they postpone the idle lock).
_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``seconds`` without keyboard, mouse, pen or touch input anywhere in the app."""

    idle = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_seconds(seconds)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_seconds(self, seconds: float) -> None:
        self._timer.setInterval(max(1, int(seconds * 1000)))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class AccessWindow(QMainWindow):
    """The window for the enrollment and unlock screens: nothing but them and the language menu."""

    language_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("accessWindow")
        self.setWindowTitle("FieldApp")
        self.resize(1100, 760)

    def build_menu(self, language: str) -> None:
        """(Re)build the language menu in the current language, ``language`` checked."""
        self.menuBar().clear()
        menu = self.menuBar().addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        for code, name in (("", self.tr("Follow the system")), *i18n.LANGUAGES):
            action = QAction(name, self, checkable=True)
            action.setChecked(code == language)
            action.triggered.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
            group.addAction(action)
            menu.addAction(action)


class AppController(QObject):
    """Decides what is on screen: enrollment, unlock, or the workspace for the open store.

    Holds the only reference to the open store; locking closes it and drops it.
    """

    # Emitted with the new MainWindow each time the workspace opens (tests wait on it).
    workspace_opened = Signal(object)
    # Emitted when the app locked (idle, the menu, or a revoked device).
    locked = Signal()

    def __init__(self, app: QApplication, settings: UiSettings, *, server_url_preset: str | None = None,
                 demo_credentials: dict[str, str] | None = None, adapter_options: dict[str, Any] | None = None,
                 open_store: Callable[[str], Any] = access.open_store, enroll_fn: Callable[..., Any] = access.enroll,
                 store_exists: Callable[[], bool] = access.store_exists) -> None:
        super().__init__()
        self.app = app
        self.settings = settings
        self.server_url = preset_server_url(settings, server_url_preset)
        self.demo_credentials = demo_credentials
        self.adapter_options = adapter_options or {}
        self._open_store = open_store
        self._enroll = enroll_fn
        self._store_exists = store_exists
        self.store: Any = None
        self.window: MainWindow | None = None
        self.access = AccessWindow()
        self.language = i18n.install(app, settings.language)
        self.access.build_menu(settings.language)
        self.access.language_requested.connect(self.set_language)
        self.idle = IdleWatcher(settings.idle_lock_minutes * 60, self)
        self.idle.idle.connect(self.lock)

    # -- screens
    def start(self) -> None:
        """Show enrollment (first run) or the unlock screen."""
        if self._store_exists():
            self.show_unlock()
        else:
            self.show_enrollment()

    def _show_access(self, widget: QWidget) -> None:
        if self.window is not None:
            self.access.setGeometry(self.window.geometry())
        self.access.setCentralWidget(widget)
        self.access.show()
        self.access.raise_()

    def show_enrollment(self) -> None:
        widget = EnrollmentWidget(self._enroll, server_url=self.server_url)
        widget.enrolled.connect(self._unlocked)
        self._show_access(widget)

    def show_unlock(self) -> None:
        widget = UnlockWidget(self._open_store, demo_credentials=self.demo_credentials)
        widget.unlocked.connect(self._unlocked)
        self._show_access(widget)

    def _unlocked(self, store: Any) -> None:
        self.store = store
        self.open_workspace()

    def open_workspace(self) -> None:
        adapter = SyncAdapter(self.store, **self.adapter_options)
        window = MainWindow(self.store, adapter, language=self.settings.language)
        adapter.setParent(window)
        adapter.revoked.connect(self.device_revoked)
        window.lock_requested.connect(self.lock)
        window.language_requested.connect(self.set_language)
        window.settings_requested.connect(self.edit_settings)
        if self.access.isVisible():
            window.setGeometry(self.access.geometry())
        old, self.window = self.window, window
        if old is not None:
            old.shutdown()
            old.deleteLater()
        window.show()
        self.access.hide()
        window.start()
        self.idle.start()
        self.workspace_opened.emit(window)

    def _close_workspace(self) -> None:
        self.idle.stop()
        window, self.window = self.window, None
        if window is not None:
            if self.access.isHidden():
                self.access.setGeometry(window.geometry())
            window.shutdown()
            window.hide()
            window.deleteLater()

    # -- locking
    def lock(self) -> None:
        """Drop the open store and ask for the PIN again."""
        if self.store is None:
            return
        self._close_workspace()
        store, self.store = self.store, None
        store.close()
        self.show_unlock()
        self.locked.emit()

    def device_revoked(self) -> None:
        """The server revoked this laptop: the client already wiped the store; say so and start over."""
        self._close_workspace()
        store, self.store = self.store, None
        if store is not None:
            store.close()
        self.show_enrollment()
        self.locked.emit()
        self.revoked_box = inform(self.access, self.tr("This laptop was revoked"), self.tr(
            "IT revoked this laptop's access to FieldApp, so its local data has been wiped. "
            "If this is a mistake, ask IT for a new enrollment code."))

    # -- preferences
    def set_language(self, language: str) -> None:
        """Switch languages now (the workspace is rebuilt in the new language) and remember it."""
        self.settings.language = language
        self.settings.save()
        self.language = i18n.install(self.app, language)
        self.access.build_menu(language)
        if self.window is not None:
            self.open_workspace()
        elif self.store is None:
            self.start()  # the enrollment or unlock screen again, in the new language

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.window, self.settings.idle_lock_minutes)
        dialog.accepted.connect(lambda: self._save_settings(dialog.idle_minutes.value()))
        dialog.open()
        self.settings_dialog = dialog

    def _save_settings(self, idle_minutes: float) -> None:
        self.settings.idle_lock_minutes = idle_minutes
        self.settings.save()
        self.idle.set_seconds(idle_minutes * 60)
        self.idle.start()

    def shutdown(self) -> None:
        self._close_workspace()
        if self.store is not None:
            self.store.close()
            self.store = None
        self.idle.detach()


def setup_logging() -> Path:
    """Send warnings and errors (with tracebacks) to a rotating file in the log folder."""
    path = paths.log_dir() / "fieldapp-gui.log"
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)
    return path


def make_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with FieldApp's names and look (reuses one that exists, as under tests)."""
    guard_singleton_refcounts()
    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName("FieldApp")
    app.setOrganizationName("FieldApp")
    style.apply(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def run_gui(argv: Sequence[str], *, server_url_preset: str | None = None,
            demo_credentials: dict[str, str] | None = None) -> int:
    """Run the desktop app until its last window closes; returns the exit status.

    ``server_url_preset``: the server address IT configured (shown read-only on enrollment).
    ``demo_credentials``: shown on the unlock screen (``fieldapp demo``), e.g. username, password, pin.
    """
    setup_logging()
    app = make_application(argv)
    controller = AppController(app, UiSettings.load(), server_url_preset=server_url_preset,
                               demo_credentials=demo_credentials)
    controller.start()
    previous_hook = sys.excepthook

    def excepthook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        # An exception in a slot: log it, tell the person plainly, keep running.
        import traceback

        from fieldapp.ui.dialogs import report_error

        details = "".join(traceback.format_exception(kind, exc, tb))
        from fieldapp.ui.messages import UNEXPECTED

        report_error(controller.window or controller.access, QApplication.translate("Messages", UNEXPECTED), details)

    sys.excepthook = excepthook
    try:
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        controller.shutdown()
