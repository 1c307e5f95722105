"""The gateway: GET /quote/<symbol> asks the quotes backend and answers 200 with the price, or
502 when the backend fails. `python3 gateway.py <port> <quotesPort>`

PLANTED BUG (missing-timeout): the backend call has no timeout. A backend that is slow or stuck
(a delayed reply, a server spinning on a failed accept) holds the request for as long as it is
stuck, instead of the 502 the gateway would answer after a second.
"""
import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT, QUOTES = int(sys.argv[1]), int(sys.argv[2])


def ask_quote(symbol):
    with socket.create_connection(("127.0.0.1", QUOTES)) as sock:  # no timeout=: waits for ever
        sock.sendall(("QUOTE %s\n" % symbol).encode())
        return sock.makefile().readline().strip()


class GatewayHandler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            return self.reply(200, {"ok": True})
        if not self.path.startswith("/quote/"):
            return self.reply(404, {"error": "not found"})
        try:
            price = ask_quote(self.path[len("/quote/"):])
        except OSError as err:
            return self.reply(502, {"error": "quotes failed: %s" % err})
        if not price.isdigit():
            return self.reply(502, {"error": "quotes answered %r" % price})
        self.reply(200, {"price": int(price)})


HTTPServer(("127.0.0.1", PORT), GatewayHandler).serve_forever()
