#!/usr/bin/env python3
"""Writes the request bodies the load and benchmark scripts send, deterministically (seeded), as NAME.json and a wrk
script NAME.lua that POSTs it and prints one RESULT line.

usage: bodies.py OUTDIR NAME [NAME ...]
  seed    the seed homework: 5×5 image ⊛ 3×3 kernel (answer 109, 92, 72 ...)
  medium  1×16×64×64 input, 16×16×3×3 kernel, padding 1
  s2      the S2 benchmark shape in float32: 8×64×56×56 input, 64×64×3×3 kernel, padding 1 (about 12 MB)
"""
import json
import random
import sys


def tensor(rng, shape):
    count = 1
    for dim in shape:
        count *= dim
    return {"shape": shape, "data": [round(rng.uniform(-1, 1), 4) for _ in range(count)]}


def body(name):
    rng = random.Random(1)
    if name == "seed":
        return {"input": [[4, 5, 2, 2, 1], [3, 3, 2, 2, 4], [4, 3, 4, 1, 1], [5, 1, 4, 1, 2], [5, 1, 3, 1, 4]],
                "kernel": [[4, 3, 3], [5, 5, 5], [2, 4, 3]]}
    if name == "medium":
        return {"input": tensor(rng, [1, 16, 64, 64]), "kernel": tensor(rng, [16, 16, 3, 3]), "padding": 1}
    if name == "s2":
        return {"input": tensor(rng, [8, 64, 56, 56]), "kernel": tensor(rng, [64, 64, 3, 3]), "padding": 1, "dtype": "float32"}
    sys.exit(f"unknown body {name}")


WRK_DONE = '''
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests/s=%.1f p50=%.2fms p99=%.2fms requests=%d non2xx=%d socket_errors=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
'''

out = sys.argv[1]
for name in sys.argv[2:]:
    text = json.dumps(body(name), separators=(",", ":"))
    with open(f"{out}/{name}.json", "w") as f:
        f.write(text)
    with open(f"{out}/{name}.lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
        f.write("wrk.body = " + json.dumps(text) + "\n" + WRK_DONE)
