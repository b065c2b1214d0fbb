#!/usr/bin/env python3
"""Writes the request bodies the load and benchmark scripts send, deterministically (seeded), as NAME.json and a wrk
script NAME.lua that POSTs it and prints one RESULT line; and the same request for the inference protocol's /v2 in
binary, as tritonclient sends it (NAME.bin, its header length in NAME.hlen, and NAME-bin.lua).

usage: bodies.py OUTDIR NAME [NAME ...]
  seed    the seed homework: 5×5 image ⊛ 3×3 kernel (answer 109, 92, 72 ...)
  medium  1×16×64×64 input, 16×16×3×3 kernel, padding 1
  s2      the S2 benchmark shape in float32: 8×64×56×56 input, 64×64×3×3 kernel, padding 1 (about 12 MB)
"""
import json
import random
import struct
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

def flat(tensor):
    """shape and row-major values of a nested or {"shape", "data"} tensor."""
    if isinstance(tensor, dict):
        return tensor["shape"], tensor["data"]
    shape, level = [], tensor
    while isinstance(level, list):
        shape.append(len(level))
        level = level[0]
    values = tensor
    for _ in shape[1:]:
        values = [v for row in values for v in row]
    return shape, values


def binary(request, fields=(("input", "input"), ("kernel", "weight")), options=("padding",)):
    """The /v2 body tritonclient would send for a /conv/forward request: compact JSON header, then the raw tensors."""
    datatype, code = ("FP32", "f") if request.get("dtype") == "float32" else ("FP64", "d")
    inputs, raw = [], b""
    for field, name in fields:
        shape, values = flat(request[field])
        data = struct.pack(f"<{len(values)}{code}", *values)
        inputs.append({"name": name, "shape": shape, "datatype": datatype, "parameters": {"binary_data_size": len(data)}})
        raw += data
    parameters = {"binary_data_output": True}
    for option in options:
        if option in request:
            parameters[option] = request[option]
    header = json.dumps({"inputs": inputs, "parameters": parameters}, separators=(",", ":")).encode()
    return header, header + raw


def lua_bytes(data):
    return '"' + "".join(f"\\{b}" for b in data) + '"'


out = sys.argv[1]
for name in sys.argv[2:]:
    request = body(name)
    text = json.dumps(request, separators=(",", ":"))
    with open(f"{out}/{name}.json", "w") as f:
        f.write(text)
    with open(f"{out}/{name}.lua", "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
        f.write("wrk.body = " + json.dumps(text) + "\n" + WRK_DONE)
    header, data = binary(request)
    with open(f"{out}/{name}.bin", "wb") as f:
        f.write(data)
    with open(f"{out}/{name}.hlen", "w") as f:
        f.write(str(len(header)))
    if name == "s2":
        # The same input to global average pooling (/v2/models/avg_pool2d): a 2 KB output, so its memory growth is the wire's own.
        header, data = binary({**request, "kernel_size": "[56,56]"}, fields=(("input", "input"),), options=("kernel_size",))
        with open(f"{out}/{name}-pool.bin", "wb") as f:
            f.write(data)
        with open(f"{out}/{name}-pool.hlen", "w") as f:
            f.write(str(len(header)))
    if len(data) < 65536:
        with open(f"{out}/{name}-bin.lua", "w") as f:
            f.write(f'wrk.method = "POST"\nwrk.headers["Inference-Header-Content-Length"] = "{len(header)}"\n')
            f.write("wrk.body = " + lua_bytes(data) + "\n" + WRK_DONE)
