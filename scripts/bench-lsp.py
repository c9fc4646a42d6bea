#!/usr/bin/env python3
"""Latency of `perfspec lsp` from a didChange to its publishDiagnostics.

Starts the server, opens the largest spec in specs/ (with the specs/ folder as the
workspace, so the rule across files runs too), then sends N full-text changes that
alternate between the spec and the spec with one indicator value changed, and times each
until the publishDiagnostics of that version arrives. Prints the median, p90 and max.

    python3 scripts/bench-lsp.py [--bin target/release/perfspec] [-n 300] [--smoke]
                                 [--file SPEC]   (another spec instead of the largest)
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def send(p, msg):
    body = json.dumps(msg, ensure_ascii=False).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def recv(p):
    length = None
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("bench-lsp: the server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def wait_for(p, pred):
    while True:
        m = recv(p)
        if pred(m):
            return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/perfspec"))
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--smoke", action="store_true", help="20 changes, no target asserted")
    ap.add_argument("--file", help="time this spec instead of the largest in specs/")
    args = ap.parse_args()
    n = 20 if args.smoke else args.n
    specs = sorted((ROOT / "specs").rglob("*.perf"), key=lambda f: (f.stat().st_size, str(f)))
    spec = pathlib.Path(args.file).resolve() if args.file else specs[-1]
    text = spec.read_text(encoding="utf-8")
    # A change that keeps the spec valid: one indicator's value, one digit.
    at = text.index(" 件\n") - 1
    other = text[:at] + ("1" if text[at] != "1" else "2") + text[at + 1 :]
    uri = spec.as_uri()
    p = subprocess.Popen([args.bin, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": os.getpid(), "capabilities": {},
                        "rootUri": (ROOT / "specs").as_uri()}})
    wait_for(p, lambda m: m.get("id") == 1)
    send(p, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "perfspec", "version": 1, "text": text}}})
    is_diag = lambda v: lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                                   and m["params"]["uri"] == uri
                                   and m["params"].get("version") == v)
    wait_for(p, is_diag(1))
    times = []
    for i in range(n):
        v = i + 2
        body = other if i % 2 == 0 else text
        t = time.perf_counter()
        send(p, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": body}]}})
        wait_for(p, is_diag(v))
        times.append((time.perf_counter() - t) * 1000)
    send(p, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    wait_for(p, lambda m: m.get("id") == 2)
    send(p, {"jsonrpc": "2.0", "method": "exit", "params": None})
    p.wait(timeout=10)
    times.sort()
    med = statistics.median(times)
    p90 = times[int(len(times) * 0.9) - 1]
    rel = spec.relative_to(ROOT) if spec.is_relative_to(ROOT) else spec
    print(f"bench-lsp: {rel} ({len(text.encode())} bytes, {text.count(chr(10))} lines), "
          f"{n} didChange → publishDiagnostics: median {med:.2f} ms, p90 {p90:.2f} ms, "
          f"max {times[-1]:.2f} ms")
    if not args.smoke and not args.file and med >= 10:
        sys.exit("bench-lsp: median over the 10 ms target")


if __name__ == "__main__":
    main()
