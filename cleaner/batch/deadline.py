"""The time limit of one page: `page_deadline` abandons a page that takes longer than its
limit (PageTimeout, naming the rule that was running), in the main thread by SIGALRM and in any
other thread (a cluster worker's) by a timer that raises in that thread."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

DEFAULT_PAGE_TIMEOUT = 10.0  # seconds one page may take, unless the caller says otherwise


class PageTimeout(BaseException):
    """The page's time is up. A BaseException, so no ``except Exception`` in the pipeline can
    swallow it; the rule that was running, when known."""

    def __init__(self, rule: str | None) -> None:
        super().__init__(rule)
        self.rule = rule


def _running_rule(frame: FrameType | None) -> str | None:
    """The id of the rule being applied in ``frame`` or a frame calling it, if any."""
    while frame is not None:
        rule = frame.f_locals.get("rule")
        rule_id = getattr(rule, "id", None)
        if isinstance(rule_id, str):
            return rule_id
        frame = frame.f_back
    return None


def timeout_reason(seconds: float, rule: str | None) -> str:
    slow = f" (it was running rule {rule}; make that rule more specific or disable it)" if rule else ""
    return (f"page took longer than the {seconds:g}s limit and was abandoned{slow}; "
            "raise --page-timeout (0 = no limit) if the page is genuine")


@contextlib.contextmanager
def page_deadline(seconds: float) -> Iterator[None]:
    """Raise PageTimeout in this thread once ``seconds`` have passed: by SIGALRM in the main
    thread; in another thread (a cluster worker's), by a timer that raises it asynchronously in
    this one, at its next Python instruction (a long call into native code ends first; the
    regex timeouts bound those). Where neither exists, no limit here: the parent's watch still
    holds a worker process to it."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_deadline(seconds):
            yield
        return
    if not hasattr(signal, "setitimer"):
        yield
        return

    def strike(signum: int, frame: FrameType | None) -> None:
        raise PageTimeout(_running_rule(frame))

    previous = signal.signal(signal.SIGALRM, strike)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Rules running in threads whose time ran out, by thread id: the timer notes the rule (it can
# see the thread's frames), the thread's PageTimeout reads it.
_timed_out_rules: dict[int, str | None] = {}


class _ThreadPageTimeout(PageTimeout):
    """PageTimeout raised asynchronously in a thread (an exception class with no arguments)."""

    def __init__(self) -> None:
        super().__init__(_timed_out_rules.pop(threading.get_ident(), None))


@contextlib.contextmanager
def _thread_deadline(seconds: float) -> Iterator[None]:
    import ctypes
    import sys

    target = threading.get_ident()
    done = threading.Event()
    lock = threading.Lock()
    fired = threading.Event()

    def strike() -> None:
        with lock:
            if done.is_set():
                return
            _timed_out_rules[target] = _running_rule(sys._current_frames().get(target))
            fired.set()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target),
                                                       ctypes.py_object(_ThreadPageTimeout))

    timer = threading.Timer(seconds, strike)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:  # no strike once the page is over: it would land in the next page
            done.set()
            if fired.is_set():  # struck as the page ended: a pending one is withdrawn
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
        timer.cancel()
        _timed_out_rules.pop(target, None)
