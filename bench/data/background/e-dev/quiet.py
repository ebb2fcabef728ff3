def workload(i):
    return sum(j * j for j in range(200)) + i
