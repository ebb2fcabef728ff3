# The same work as hog_thread.py and hog_process.py without anything beside it: the control.
def workload(i):
    return sum(j * j for j in range(200)) + i
