"""A key-value service on Python's http.server: PUT /kv/<key> stores the body in its own file,
GET /kv/<key> reads it back. `python3 kv.py <port>`; data lives under $FAULTBOX_SERVICE_DIR.

PLANTED BUG (ack-loss): the PUT handler swallows the error of the file write and acknowledges
the value anyway, so a failed write(2) becomes an acknowledged value that is not there.
"""
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT = int(sys.argv[1])
DATA = os.path.join(os.environ.get("FAULTBOX_SERVICE_DIR", "."), "data")
os.makedirs(DATA, exist_ok=True)
KEY = re.compile(r"^/kv/(\w+)$")


def file_of(key):
    return os.path.join(DATA, key + ".val")


class KvHandler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        m = KEY.match(self.path)
        if not m:
            return self.reply(404, {"error": "not found"})
        value = self.rfile.read(int(self.headers.get("content-length", "0")))
        try:
            with open(file_of(m.group(1)), "wb") as f:
                f.write(value)
        except OSError:
            pass  # "the disk hiccupped, the next write will fix it": the client is told 200
        self.reply(200, {"stored": m.group(1)})

    def do_GET(self):
        if self.path == "/health":
            return self.reply(200, {"ok": True})
        m = KEY.match(self.path)
        if not m:
            return self.reply(404, {"error": "not found"})
        try:
            with open(file_of(m.group(1)), "rb") as f:
                value = f.read().decode()
        except FileNotFoundError:
            return self.reply(404, {"error": "no key " + m.group(1)})
        except OSError as err:
            return self.reply(500, {"error": err.strerror})
        self.reply(200, {"key": m.group(1), "value": value})


HTTPServer(("127.0.0.1", PORT), KvHandler).serve_forever()
