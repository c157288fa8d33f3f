"""What `up` becomes once the platform is prepared: supervisord's parent, and nothing else.

`up` execs this module (same PID, a few MiB instead of the runner's imports).
It starts supervisord in a session of its own, forwards SIGINT / SIGTERM to it
(SIGHUP, which would make supervisord reload, becomes SIGTERM), waits until
supervisord has stopped every program, and exits 128 + the signal, as a shell
reports a program stopped by it (130 after Ctrl-C, 143 after SIGTERM).
On Linux supervisord also gets SIGTERM if this process dies without warning.

Only the standard library is imported here, on purpose.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from contextlib import suppress
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))


def exit_code(returncode: int) -> int:
    """A child's return code as a shell would report it (killed by signal n → 128 + n)."""
    return 128 - returncode if returncode < 0 else returncode


def main(argv: list[str]) -> int:
    supervisord, config = argv
    received: list[int] = []
    child: subprocess.Popen[bytes] | None = None

    def forward(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        if child is not None:
            sent = signal.SIGTERM if signum == signal.SIGHUP else signum
            with suppress(ProcessLookupError):
                child.send_signal(sent)

    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, forward)
    child = subprocess.Popen(
        [supervisord, "--nodaemon", "--configuration", config],
        start_new_session=True,  # a terminal's Ctrl-C reaches supervisord once, through us
        preexec_fn=_die_with_parent,
    )
    if received:  # a signal came before supervisord existed
        forward(received[0], None)
    returncode = child.wait()
    return 128 + received[0] if received else exit_code(returncode)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
