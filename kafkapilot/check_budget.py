"""A CPU-time budget for one check's evaluation: a runaway check ends as that task's error, the others run.

Checks are user data (YAML under analysis_tasks/, or a --tasks-dir of someone else's). An expression can
loop for ever in effect: a catastrophic regex (`(a+)+$` on a long line), filters nested over large facts.
The budget is process CPU time (ITIMER_PROF), so a loaded machine does not turn a slow check into a
failed one; the timer's signal interrupts Python code and the regex engine alike. It needs the main
thread (signals are delivered there): elsewhere a check runs without a budget.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

__all__ = ["DEFAULT_CHECK_BUDGET_S", "CheckBudgetExceeded", "cpu_budget"]

DEFAULT_CHECK_BUDGET_S: Final = 2.0


class CheckBudgetExceeded(BaseException):
    """A BaseException, so that no `except Exception` inside a rule or a filter can swallow it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the check used its {seconds:g} s of CPU time (--check-budget) and was stopped")
        self.seconds = seconds


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Raise CheckBudgetExceeded in the block once it has used `seconds` of CPU time (None or 0: no budget)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    active = True

    def _expired(_signum: int, _frame: Any) -> None:
        if active:
            raise CheckBudgetExceeded(seconds)

    previous = signal.signal(signal.SIGPROF, _expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        active = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
