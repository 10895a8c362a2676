"""The load test: the real Streamlit app under N simultaneous users.

    zanqa loadtest [--clients 4] [--seconds 20] [--json OUT]

What is driven, exactly:

- the real server: ``zanqa app`` (Streamlit running app/streamlit_app.py, warmed up at start)
  on a free local port (127.0.0.1 only), started by this command with the same
  Python environment and stopped at the end; the index must be current (it is
  not built here, so a build is never timed as a question);
- N browser-less clients in N threads. Each opens a session on the server's
  WebSocket (``/_stcore/stream``) and speaks the protocol the browser speaks
  (Streamlit's ``BackMsg`` / ``ForwardMsg`` protobufs): it runs the page, types
  a question into the chat input and waits until the script run finishes. A
  question counts as answered only when the run ends normally, shows no
  exception element, and has rendered one assistant chat message per question
  asked in that session. Each client starts a new session every
  ``QUESTIONS_PER_SESSION`` questions, as a user opening a new tab would;
- between questions every client also GETs ``/_stcore/health`` and ``/``
  over HTTP, so the page and the health endpoint are shown to be served
  while the app is busy.

Not driven: a browser (no JavaScript runs, nothing is painted; the browser
test is tests/test_browser.py) and the optional LLM. Latency is the time from
sending the question to the end of the script run, as the server sees it plus
the local WebSocket; all clients share one machine with the server, so the
figures are for this machine only.

Questions are cycled from eval/pairs.jsonl (Kazakh, Russian, answerable and
not). Progress goes to stderr; the summary is printed and optionally written
as JSON. The exit status is 1 when any error occurred.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from zanqa.config import ENV_EMBEDDER, EVAL_DIR, ROOT, default_index_dir
from zanqa.errors import UsageError
from zanqa.experiments.output import write_json
from zanqa.experiments.timing import stats_ms

PAIRS = EVAL_DIR / "pairs.jsonl"
QUESTIONS_PER_SESSION = 5
STARTUP_TIMEOUT_S = 120.0
RUN_TIMEOUT_S = 120.0  # one script run (a question) longer than this is an error
HTTP_TIMEOUT_S = 30.0
_FINISHED_EARLY_FOR_RERUN = 2  # ForwardMsg.script_finished: the script called st.rerun()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _latency_ms(samples_s: list[float]) -> dict:
    """``stats_ms`` plus the slowest, which a load test reports."""
    return {**stats_ms(samples_s), "max": round(max(samples_s) * 1000.0, 3) if samples_s else None}


class Server:
    """``zanqa app`` (the Streamlit app) as a child process, on 127.0.0.1:port."""

    def __init__(self, port: int, env: dict[str, str] | None = None) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the server runs, closed in stop()
        cmd = [
            sys.executable, "-m", "zanqa", "app", "--port", str(port), "--address", "127.0.0.1",
            "--", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = STARTUP_TIMEOUT_S) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with status {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and resp.read().strip() == b"ok":
                        return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the app did not answer {self.url}/_stcore/health within {timeout:.0f} s")

    def output(self, tail: int = 4000) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-tail:]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)
        self._log.close()


class Session:
    """One browser-less user: a WebSocket session speaking Streamlit's protocol."""

    def __init__(self, port: int) -> None:
        from websockets.sync.client import connect

        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(
            connect(
                f"ws://127.0.0.1:{port}/_stcore/stream",
                subprotocols=["streamlit"],
                max_size=None,
                open_timeout=HTTP_TIMEOUT_S,
            )
        )
        self.chat_input_id: str | None = None
        self.asked = 0

    def run(self, question: str | None = None) -> None:
        """Run the page (typing ``question`` into the chat input); raise on any problem."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        if question is not None:
            if self.chat_input_id is None:
                raise RuntimeError("the page has no chat input")
            widget = msg.rerun_script.widget_states.widgets.add()
            widget.id = self.chat_input_id
            widget.chat_input_value.data = question
        self.ws.send(msg.SerializeToString())
        deadline = time.monotonic() + RUN_TIMEOUT_S
        assistant = 0
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            kind = fm.WhichOneof("type")
            if kind == "delta":
                delta = fm.delta
                if delta.WhichOneof("type") == "new_element":
                    element = delta.new_element
                    what = element.WhichOneof("type")
                    if what == "exception":
                        raise RuntimeError(
                            f"the app raised {element.exception.type}: {element.exception.message}"
                        )
                    if what == "chat_input":
                        self.chat_input_id = element.chat_input.id
                elif (
                    delta.WhichOneof("type") == "add_block"
                    and delta.add_block.WhichOneof("type") == "chat_message"
                    and delta.add_block.chat_message.name == "assistant"
                ):
                    assistant += 1
            elif kind == "script_finished":
                if fm.script_finished == _FINISHED_EARLY_FOR_RERUN:
                    assistant = 0  # the rerun renders everything again
                    continue
                if fm.script_finished != 0:
                    raise RuntimeError(f"the script run ended with status {fm.script_finished}")
                break
        if question is not None:
            self.asked += 1
            if assistant != self.asked:
                raise RuntimeError(f"{assistant} assistant messages after {self.asked} questions")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead socket
            self._stack.close()


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    http_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    http_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, client: int, what: str) -> None:
        with self.lock:
            self.errors.append(f"client {client}: {what}"[:500])


def _http_get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_S) as resp:
        body = resp.read()
        if resp.status != 200 or not body:
            raise RuntimeError(f"GET {url}: status {resp.status}, {len(body)} bytes")


def _client(number: int, server: Server, questions: list[str], stop_at: float, tally: _Tally) -> None:
    position = number * 37  # clients start at different questions
    session: Session | None = None
    while time.monotonic() < stop_at:
        question = questions[position % len(questions)]
        position += 1
        try:
            if session is None or session.asked >= QUESTIONS_PER_SESSION:
                if session is not None:
                    session.close()
                session = Session(server.port)
                session.run()  # the page as a new visitor sees it
            t0 = time.perf_counter()
            session.run(question)
            elapsed = time.perf_counter() - t0
            with tally.lock:
                tally.latencies.append(elapsed)
        except Exception as exc:
            tally.error(number, f"question {question[:60]!r}: {type(exc).__name__}: {exc}")
            if session is not None:
                session.close()
            session = None
        for path in ("/_stcore/health", "/"):
            t0 = time.perf_counter()
            try:
                _http_get(server.url + path)
            except Exception as exc:
                tally.error(number, f"GET {path}: {type(exc).__name__}: {exc}")
            with tally.lock:
                tally.http_requests += 1
                tally.http_latencies.append(time.perf_counter() - t0)
    if session is not None:
        session.close()


def load_questions(path: Path = PAIRS) -> list[str]:
    from zanqa.experiments.pairs import load_pairs

    return [p.question for p in load_pairs(path)]


def run_loadtest(
    clients: int = 4,
    seconds: float = 20.0,
    index_dir: Path | str | None = None,
    questions: list[str] | None = None,
    progress=None,
) -> dict:
    """Start the app, drive it with ``clients`` users for ``seconds``, stop it; the summary.

    index_dir: the index the app loads (default: $ZANQA_INDEX_DIR or index/); it
        must be current.
    progress: ``progress(elapsed_s, answered, errors)`` about once a second.
    """
    from zanqa.corpus import load_corpus
    from zanqa.embed import get_embedder
    from zanqa.index import index_is_current

    if clients < 1 or seconds <= 0:
        raise UsageError("--clients must be at least 1 and --seconds positive")
    index_dir = Path(index_dir or default_index_dir())
    if not index_is_current(index_dir, load_corpus(), get_embedder().model_id):
        raise UsageError(f"the index in {index_dir} is missing or stale: run `zanqa build` first")
    questions = questions or load_questions()
    server = Server(free_port(), env={"ZANQA_INDEX_DIR": str(index_dir)})
    tally = _Tally()
    try:
        startup_s = server.wait_healthy()
        warm = Session(server.port)  # loads the cached engine once, outside the timed window
        try:
            t0 = time.perf_counter()
            warm.run()
            warm.run(questions[0])
            warmup_s = time.perf_counter() - t0
        finally:
            warm.close()
        started = time.monotonic()
        stop_at = started + seconds
        threads = [
            threading.Thread(target=_client, args=(i, server, questions, stop_at, tally), daemon=True)
            for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            time.sleep(1.0)
            if progress:
                with tally.lock:
                    progress(time.monotonic() - started, len(tally.latencies), len(tally.errors))
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        if not server.alive():
            tally.error(-1, f"the server died during the test:\n{server.output()}")
    finally:
        server.stop()
    answered = len(tally.latencies)
    return {
        "what": "zanqa app (streamlit, app/streamlit_app.py) driven over its WebSocket protocol by "
        "browser-less clients (one session per QUESTIONS_PER_SESSION questions) + HTTP GETs of "
        "/_stcore/health and / between questions",
        "clients": clients,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 2),
        "questions": answered,
        "throughput_qps": round(answered / elapsed, 2) if elapsed > 0 else 0.0,
        "latency_ms": _latency_ms(tally.latencies),
        "errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "http": {
            "requests": tally.http_requests,
            "latency_ms": _latency_ms(tally.http_latencies),
        },
        "server": {
            "startup_s": round(startup_s, 2),
            "first_question_s": round(warmup_s, 2),
            "questions_per_session": QUESTIONS_PER_SESSION,
        },
        "cpu_count": os.cpu_count(),
    }


def format_summary(s: dict) -> str:
    lat, http = s["latency_ms"], s["http"]["latency_ms"]
    return (
        f"{s['clients']} clients, {s['elapsed_s']} s: {s['questions']} questions, "
        f"{s['throughput_qps']} questions/s, latency median {lat['median']} ms, p95 {lat['p95']} ms, "
        f"max {lat['max']} ms; {s['http']['requests']} HTTP GETs (median {http['median']} ms); "
        f"errors {s['errors']}"
    )


def cmd_loadtest(args: argparse.Namespace) -> int:
    """``zanqa loadtest``: drive the running app with N simultaneous users."""

    def progress(elapsed: float, answered: int, errors: int) -> None:
        print(f"loadtest: {elapsed:5.1f} s  {answered} answered  {errors} errors", file=sys.stderr)

    if getattr(args, "embedder", None):
        os.environ[ENV_EMBEDDER] = args.embedder  # the app reads it too
    print(f"loadtest: starting the app, {args.clients} clients for {args.seconds:g} s", file=sys.stderr)
    summary = run_loadtest(args.clients, args.seconds, index_dir=args.index, progress=progress)
    print(format_summary(summary))
    for sample in summary["error_samples"]:
        print(f"  error: {sample}", file=sys.stderr)
    if args.json_out:
        write_json(args.json_out, summary)
    return 1 if summary["errors"] else 0
