# A user workload whose module starts a process at import that leaves the child's session and
# spins (issue 20); gilguard ends it with the child (cgroup) or finds it in /proc.
import os
import subprocess
import sys

if not os.environ.get("GG_HOG"):
    subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True,
                     env={"GG_HOG": "1"})


def workload(i):
    return sum(j * j for j in range(200)) + i
