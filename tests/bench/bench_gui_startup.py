"""One cold start of the app on an existing store, timed phase by phase (run as a subprocess).

    python tests/bench/bench_gui_startup.py DATA_DIR SECRET   → prints one JSON line of seconds
"""

from __future__ import annotations

import json
import os
import sys
import time

T0 = time.perf_counter()


def main() -> int:
    data_dir, secret = sys.argv[1], sys.argv[2]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from fieldapp.store.db import DeviceStore
    from fieldapp.ui import i18n
    from fieldapp.ui.app import make_application
    from fieldapp.ui.main_window import MainWindow
    from fieldapp.ui.sync_adapter import SyncAdapter

    t_imports = time.perf_counter()
    app = make_application(["bench"])
    i18n.install(app, "zh_CN")
    t_app = time.perf_counter()
    store = DeviceStore.open(secret, data_dir)  # argon2id unwrap + key check + schema check
    t_unlock = time.perf_counter()
    adapter = SyncAdapter(store, use_network_information=False)
    window = MainWindow(store, adapter)
    window.show()
    window.start(autosync=False)
    t_window = time.perf_counter()
    model = window.cases_page.model
    while model.rowCount() == 0:
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()
    window.cases_page.view.viewport().repaint()  # the first screenful is fetched and drawn
    t_list = time.perf_counter()
    first_rows = model.rowCount()
    while not model.settled():  # the whole list indexed: every filter answers from memory now
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()
    t_full = time.perf_counter()
    print(json.dumps({
        "imports": t_imports - T0,
        "qapplication_style_font_translations": t_app - t_imports,
        "unlock_store": t_unlock - t_app,
        "build_window": t_window - t_unlock,
        "first_rows_drawn": t_list - t_window,
        "start_to_interactive_list": t_list - t_imports,
        "whole_list_indexed_after_start": t_full - t_imports,
        "process_start_to_interactive_list": t_list - T0,
        "rows": model.rowCount(),
        "first_screen_rows": first_rows,
    }))
    window.shutdown()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
