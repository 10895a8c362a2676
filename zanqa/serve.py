"""``zanqa app``: the Streamlit app, warmed up while the browser loads it.

Streamlit runs the app script only when the first browser session connects,
so a plain ``streamlit run`` makes the first visitor wait for the imports and
the index load (about 1.5 s here). This launcher starts the same server
in-process and, in a background thread, imports the answer stage and loads the
engine at once, while the browser is still fetching Streamlit's front end.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time

from zanqa.config import APP_SCRIPT

WARM_UP_QUESTION = "Адамды тасу қашан аяқталды деп есептеледі?"

log = logging.getLogger(__name__)


def _wait_listening(port: int, address: str | None = None, timeout: float = 60.0) -> None:
    """Until the server accepts connections on ``port`` (or ``timeout``): the
    warm-up's imports would otherwise slow the server's own start."""
    host = address if address and address not in ("0.0.0.0", "::") else "127.0.0.1"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)


def warm_up(port: int | None = None, address: str | None = None) -> None:
    """Once the server listens: import what the app imports, load the shared
    engine, answer one question (not logged: no user asked it)."""
    if port is not None:
        _wait_listening(port, address)
    try:
        import zanqa.generate  # noqa: F401 - imported by the app script
        from zanqa.answer import answer
        from zanqa.engine import shared_engine

        answer(shared_engine(), WARM_UP_QUESTION, log=False)
    except Exception as exc:  # the app's first run reports the same problem to the user
        log.warning("zanqa app: warm-up failed: %s", exc)


def streamlit_args(port: int, address: str | None = None, headless: bool = True) -> list[str]:
    args = [
        "run", str(APP_SCRIPT),
        "--server.port", str(port),
        "--server.headless", "true" if headless else "false",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",  # no "Deploy" button or developer menu (also .streamlit/config.toml)
    ]  # fmt: skip
    if address:
        args += ["--server.address", address]
    return args


def run(
    port: int = 8501,
    address: str | None = None,
    headless: bool = True,
    extra: tuple[str, ...] | list[str] = (),
) -> int:
    """Serve the app on ``port`` (blocks until the server stops)."""
    from streamlit.web import cli

    threading.Thread(target=warm_up, args=(port, address), name="zanqa-warm-up", daemon=True).start()
    sys.argv = ["streamlit", *streamlit_args(port, address, headless), *extra]
    try:
        cli.main(prog_name="streamlit")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(run())
