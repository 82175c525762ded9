#!/usr/bin/env python3
"""Seconds from launching `storyboard render PROJECT` until the engine logs that the model is ready.

    time_to_ready.py LOG TIMEOUT_S -- COMMAND...

Starts COMMAND (a launcher call that starts the generation engine, e.g. `bin/storyboard render P -o X.mp4`
for a project whose shot has no take), copies its stderr to LOG, and as soon as a line says
"engine status: Model ... ready on ..." prints the seconds since launch and stops the process group (the
render itself is not wanted). Exits 1 (printing nothing) if the engine says something else final, the process
ends, or TIMEOUT_S passes.
"""
import os
import signal
import subprocess
import sys
import threading
import time

log_path, timeout_s = sys.argv[1], float(sys.argv[2])
command = sys.argv[sys.argv.index("--") + 1:]
start = time.monotonic()
proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                        errors="replace", start_new_session=True)
timer = threading.Timer(timeout_s, lambda: os.killpg(proc.pid, signal.SIGKILL))
timer.start()
ready = None
with open(log_path, "w") as log:
    for line in proc.stderr:
        log.write(line)
        if "engine status: Model " in line and " ready on " in line:
            ready = time.monotonic() - start
            break
timer.cancel()
try:
    os.killpg(proc.pid, signal.SIGTERM)
except ProcessLookupError:
    pass
try:
    proc.wait(timeout=30)
except subprocess.TimeoutExpired:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
if ready is None:
    sys.exit(1)
print(f"{ready:.1f}")
