#!/usr/bin/env python3
"""Sends the seed cases through the front, checks every answer against PyTorch's, kills one API mid-run.

usage: cluster_client.py BASE_URL SEED_JSONL REQUESTS THREADS KILL
After half of REQUESTS have been answered it kills an API: KILL is a process id (sent SIGKILL) or a command that
does it (e.g. "docker kill --signal KILL 4f1e..."). Exits 1 when any request failed or answered wrongly.
"""
import http.client
import json
import math
import os
import shlex
import signal
import subprocess
import sys
import threading
from urllib.parse import urlsplit

base, seed_path, total, threads, kill = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
host = urlsplit(base)


def flatten(value):
    if isinstance(value, dict):
        return value["shape"], list(value["data"])
    shape, data, level = [], [], value
    while isinstance(level, list):
        shape.append(len(level))
        level = level[0] if level else None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            data.append(item)
    return shape, data


def close(expected, actual):
    (es, ed), (as_, ad) = flatten(expected), flatten(actual)
    return es == as_ and len(ed) == len(ad) and all(
        e == a or math.isclose(float(e), float(a), rel_tol=1e-9, abs_tol=1e-9) for e, a in zip(ed, ad))


def post(connection, case):
    connection.request("POST", case["endpoint"], json.dumps(case["request"]), {"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def check(case, status, body):
    if status != 200:
        return f"HTTP {status}: {body[:200]!r}"
    answer = json.loads(body)
    wrong = [name for name, value in case["expected"].items() if name not in answer or not close(value, answer[name])]
    return f"wrong {', '.join(wrong)}: {body[:200]!r}" if wrong else None


cases = [json.loads(line) for line in open(seed_path) if line.strip()]
served = cases
if not served:
    sys.exit("no seed case to send")

lock = threading.Lock()
state = {"next": 0, "done": 0, "killed": False, "failures": []}


def worker():
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    while True:
        with lock:
            index = state["next"]
            state["next"] += 1
        if index >= total:
            return
        case = served[index % len(served)]
        try:
            problem = check(case, *post(connection, case))
        except (OSError, http.client.HTTPException) as error:
            problem = f"{type(error).__name__}: {error}"
            connection.close()
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        with lock:
            state["done"] += 1
            if problem:
                state["failures"].append(f"request {index} {case['endpoint']}: {problem}")
            if state["done"] >= total // 2 and not state["killed"]:
                state["killed"] = True
                if kill.isdigit():
                    os.kill(int(kill), signal.SIGKILL)
                    print(f"  killed API process {kill} (SIGKILL) after {state['done']} answers, with the other threads' requests in flight")
                else:
                    subprocess.run(shlex.split(kill), check=True, stdout=subprocess.DEVNULL)
                    print(f"  ran `{kill}` after {state['done']} answers, with the other threads' requests in flight")


pool = [threading.Thread(target=worker) for _ in range(threads)]
for thread in pool:
    thread.start()
for thread in pool:
    thread.join()

endpoints = sorted({case["endpoint"] for case in served})
print(f"  {total} requests over {len(served)} seed cases ({', '.join(endpoints)}): {total - len(state['failures'])} answered "
      f"correctly, {len(state['failures'])} failed")
for failure in state["failures"][:10]:
    print(f"  FAILED {failure}")
sys.exit(1 if state["failures"] or not state["killed"] else 0)
