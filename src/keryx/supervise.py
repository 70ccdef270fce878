"""The embedded shape's supervisor: runs the web server and the worker, stops them together.

``keryx serve`` prepares everything with Django loaded (migrate, collect static files), then
replaces itself with this module, which imports nothing but the standard library: the process
that only waits holds ~10 MB instead of the ~100 MB of a loaded Django (docs/operations.md,
"Memory"). Started as ``python -m keryx.supervise '<json: [[name, argv, env], …]>'`` (env: variables to add).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any


class Supervisor:
    """Runs processes and stops them together, gracefully; one ending stops the others."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.stopping = False

    def start(self, name: str, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        environ = {**os.environ, **env} if env else None
        self.children.append(
            (name, subprocess.Popen(list(argv), start_new_session=True, env=environ))
        )

    def stop(self, *_args: Any) -> None:
        if self.stopping:
            return
        self.stopping = True
        print("keryx: stopping (running tasks finish, queued tasks stay queued)…", file=sys.stderr)
        for _name, proc in self.children:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    def wait(self, grace: float = 60.0) -> int:
        code = 0
        while not self.stopping:
            for name, proc in self.children:
                if proc.poll() is not None:
                    print(
                        f"keryx: the {name} process ended ({proc.returncode}); stopping.",
                        file=sys.stderr,
                    )
                    code = proc.returncode or 1
                    self.stop()
                    break
            time.sleep(0.2)
        deadline = time.monotonic() + grace
        for _name, proc in self.children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return code


def main(argv: Sequence[str]) -> int:
    supervisor = Supervisor()
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    for name, child_argv, env in json.loads(argv[0]):
        supervisor.start(name, child_argv, env)
    return supervisor.wait()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
