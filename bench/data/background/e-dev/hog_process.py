import subprocess
import sys

subprocess.Popen([sys.executable, "-c", "while True: pass"])


def workload(i):
    return sum(j * j for j in range(200)) + i
