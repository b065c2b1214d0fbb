#!/usr/bin/env python3
"""Times large POSTs, each on a new connection, interleaving several requests, and prints one line per timed request:
NAME SECONDS CPU_MS (the service's user + system CPU time across it, read from /proc/PID/stat; 0 without a PID).

usage: post.py RUNS WARMUPS PID REQUEST [REQUEST ...]
  REQUEST  NAME|URL|FILE[|HEADER:VALUE ...]   (FILE's bytes are the body; an empty VALUE sends no such header)
Each round sends every REQUEST once, in order: WARMUPS untimed rounds, then RUNS timed ones. Exits 1 on a non-2xx.

scripts/bench-http.sh times the S2 request with this, a plain HTTP/1.1 socket client (connected before the clock
starts; one sendall for the request; the answer read into a buffer touched beforehand, by Content-Length or chunk
by chunk), rather than with curl or http.client, which on this 2-core machine were themselves the slow part of a
6 MiB exchange:
- curl 7.88 uploads in 64 KiB steps: its upload of the 6.3 MiB binary body into a bare socket took about 11.6 ms,
  where one sendall took 2 ms;
- a client process's first large exchange is slow (the binary S2 request took 46-50 ms as a process's first and 15-21
  ms after it, each on a new connection), so the rounds run in one process, after untimed ones.
"""
import socket
import sys
import time
import urllib.parse


def cpu_ms(pid):
    if pid == 0:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS


def prepare(spec):
    name, address, path, *header_args = spec.split("|")
    url = urllib.parse.urlsplit(address)
    with open(path, "rb") as f:
        body = f.read()
    headers = [f"Host: {url.netloc}", f"Content-Length: {len(body)}"]
    for header in header_args:
        field, _, value = header.partition(":")
        if value.strip():
            headers.append(f"{field.strip()}: {value.strip()}")
    request = (f"POST {url.path or '/'} HTTP/1.1\r\n" + "\r\n".join(headers) + "\r\n\r\n").encode() + body
    return name, (url.hostname, url.port or 80), request


def receive(connection, data, length):
    """Reads what is there (at most 1 MiB) after `length` bytes of `data`; returns the new length."""
    if len(data) - length < 1 << 20:
        data.extend(b"\x01" * len(data))
    got = connection.recv_into(memoryview(data)[length:], 1 << 20)
    if got == 0:
        sys.exit("the service closed the connection before the answer's end")
    return length + got


def exchange(address, request, data):
    """One request on a new connection: (status, seconds from sending to the answer's last byte, where its body starts)."""
    connection = socket.create_connection(address)
    length = 0
    start = time.perf_counter()
    connection.sendall(request)
    while (end := data.find(b"\r\n\r\n", 0, length)) < 0:
        length = receive(connection, data, length)
    head = bytes(data[:end]).decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}
    at = end + 4
    if "content-length" in fields:
        total = at + int(fields["content-length"])
        while length < total:
            length = receive(connection, data, length)
    else:  # chunked: each chunk's size line, its bytes and CRLF, up to the zero-sized chunk and the final CRLF
        while True:
            while (line := data.find(b"\r\n", at, length)) < 0:
                length = receive(connection, data, length)
            size = int(bytes(data[at:line]).split(b";")[0], 16)
            at = line + 2 + size + 2
            while length < at:
                length = receive(connection, data, length)
            if size == 0:
                break
    elapsed = time.perf_counter() - start
    connection.close()
    return int(head[0].split()[1]), elapsed, end + 4


CLOCK_TICKS = __import__("os").sysconf("SC_CLK_TCK")
runs, warmups, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
requests = [prepare(spec) for spec in sys.argv[4:]]
# Touched once before any clock starts, so that no page of it is first written (a page fault each) while timing.
data = bytearray(b"\x01") * (3 * max(len(r) for _, _, r in requests) + (1 << 20))
for round_ in range(warmups + runs):
    for name, address, request in requests:
        before = cpu_ms(pid)
        status, seconds, body = exchange(address, request, data)
        if not 200 <= status < 300:
            sys.exit(f"{name}: HTTP {status}: {bytes(data[body:body + 300])!r}")
        if round_ >= warmups:
            print(f"{name} {seconds:.6f} {cpu_ms(pid) - before:.0f}", flush=True)
