#!/usr/bin/env python3
"""Webhook recorder and ML-backend stub for the lswebhook conformance harness.

Standard library only. Listens on 127.0.0.1 and

  * answers every POST with 200 {"status": "ok"} (application/json), except the
    ML backend endpoints below;
  * acts as a minimal Label Studio ML backend:
        GET  /health   -> {"status": "UP"}
        POST /setup    -> {"model_version": "stub-1"}
        POST /predict  -> {"results": []}
        POST /webhook  -> {"status": "ok"}  (recorded like any other POST)
  * records every POST: the body byte-for-byte in <dir>/NNNNNN.body and, written
    afterwards, <dir>/NNNNNN.meta.json with the arrival sequence number, path,
    method, headers and arrival time. A meta file therefore only exists for a
    fully written body.

The response is sent only after the record is on disk: Label Studio Community
delivers webhooks inline in the triggering API request, so when that request
returns, the record is already visible to the driver.

Usage: recorder.py --port PORT --dir DIR [--host 127.0.0.1]
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_lock = threading.Lock()
_seq = 0


def _next_seq():
    global _seq
    with _lock:
        _seq += 1
        return _seq


class Handler(BaseHTTPRequestHandler):
    server_version = "lswebhook-recorder/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # concise log on stderr
        sys.stderr.write("recorder: %s %s\n" % (self.address_string(), fmt % args))

    def _reply(self, obj, code=200):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self):
        length = self.headers.get("Content-Length")
        if length is not None:
            return self.rfile.read(int(length))
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        return b""

    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/health", ""):
            self._reply({"status": "UP"})
        else:
            self._reply({"status": "ok"})

    def do_POST(self):
        body = self._read_body()
        seq = _next_seq()
        rec_dir = self.server.record_dir
        base = os.path.join(rec_dir, "%06d" % seq)
        with open(base + ".body", "wb") as f:
            f.write(body)
        meta = {
            "seq": seq,
            "method": "POST",
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "time": time.time(),
            "length": len(body),
        }
        tmp = base + ".meta.json.tmp"
        with open(tmp, "w") as f:
            json.dump(meta, f)
        os.replace(tmp, base + ".meta.json")

        path = self.path.split("?", 1)[0].rstrip("/")
        if path == "/setup":
            self._reply({"model_version": "stub-1"})
        elif path == "/predict":
            self._reply({"results": []})
        else:
            self._reply({"status": "ok"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    httpd.daemon_threads = True
    httpd.record_dir = args.dir
    sys.stderr.write("recorder: listening on http://%s:%d, recording to %s\n"
                     % (args.host, args.port, args.dir))
    sys.stderr.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
