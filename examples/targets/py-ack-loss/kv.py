"""A key-value service on Python's http.server: PUT /kv/<key> stores the body in its own file,
GET /kv/<key> reads it back. `python3 kv.py <port>`; data lives under $FAULTBOX_SERVICE_DIR.

PLANTED BUG (ack-loss): the PUT handler swallows the error of the file write and acknowledges
the value anyway, so a failed write(2) becomes an acknowledged value that is not there.
"""
import os
import re
import sys
from http.server import HTTPServer

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from json_http import JsonHandler  # noqa: E402

PORT = int(sys.argv[1])
DATA = os.path.join(os.environ.get("FAULTBOX_SERVICE_DIR", "."), "data")
os.makedirs(DATA, exist_ok=True)
KEY = re.compile(r"^/kv/(\w+)$")


def file_of(key):
    return os.path.join(DATA, key + ".val")


class KvHandler(JsonHandler):
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
        if self.health():
            return
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
