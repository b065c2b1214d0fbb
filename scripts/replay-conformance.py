#!/usr/bin/env python3
"""Replays the conformance cases (tests/Api.Tests/Conformance/*.jsonl: PyTorch 2.10's answers) against a running
service and counts the matches: float64 within 1e-9, float32 within 1e-5 + 1e-5·|expected|, as the contract says.
The in-process tests replay them too; this is for a build they cannot load, such as the native one.

usage: replay-conformance.py BASE_URL [FILE ...]   (defaults to every case file; exit 1 on any mismatch)
"""
import glob
import json
import math
import os
import sys
import urllib.error
import urllib.request


def close(expected, got, float32):
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(close(e, g, float32) for e, g in zip(expected, got))
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(k in got and close(v, got[k], float32) for k, v in expected.items())
    if isinstance(expected, str) or isinstance(got, str):  # "NaN", "Infinity", "-Infinity"
        return expected == got
    if isinstance(expected, bool) or expected is None:
        return expected == got
    if not isinstance(got, (int, float)):
        return False
    if math.isnan(expected) or math.isinf(expected):
        return expected == got or (math.isnan(expected) and math.isnan(got))
    tolerance = 1e-5 + 1e-5 * abs(expected) if float32 else 1e-9
    return abs(expected - got) <= tolerance


def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:300]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    base = sys.argv[1].rstrip("/")
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Api.Tests", "Conformance")
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(here, "*.jsonl")))
    matched = total = 0
    for path in files:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                case = json.loads(line)
                total += 1
                status, answer = post(base + case["endpoint"], case["request"])
                float32 = case["request"].get("dtype") == "float32"
                if status == 200 and close(case["expected"], answer, float32):
                    matched += 1
                else:
                    print(f"MISMATCH {os.path.basename(path)}:{number} {case['endpoint']} (HTTP {status}): {str(answer)[:200]}")
    print(f"{matched}/{total} conformance cases match")
    sys.exit(0 if matched == total and total > 0 else 1)


if __name__ == "__main__":
    main()
