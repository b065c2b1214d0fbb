#!/usr/bin/env python3
"""POSTs a file's bytes once and prints the seconds from sending the request to the last byte of the answer.

usage: post.py URL FILE [HEADER:VALUE ...]    (an empty VALUE sends no such header; exits 1 on a non-2xx answer)

scripts/bench-http.sh times the S2 request with this rather than curl: curl 7.88 uploads in 64 KiB steps, and on this
2-core machine its own upload of the 6.3 MiB binary body took about 11.6 ms where one sendall (this client) took
about 2 ms, both into the same bare socket; for the JSON body the two clients time the same (143 and 145 ms median).
"""
import http.client
import sys
import time
import urllib.parse

url = urllib.parse.urlsplit(sys.argv[1])
with open(sys.argv[2], "rb") as f:
    body = f.read()
headers = {}
for header in sys.argv[3:]:
    name, _, value = header.partition(":")
    if value.strip():
        headers[name.strip()] = value.strip()
connection = http.client.HTTPConnection(url.hostname, url.port)
connection.connect()
start = time.perf_counter()
connection.request("POST", url.path, body=body, headers=headers)
response = connection.getresponse()
data = response.read()
elapsed = time.perf_counter() - start
if not 200 <= response.status < 300:
    sys.exit(f"HTTP {response.status}: {data[:300]!r}")
print(f"{elapsed:.6f}")
