"""The shop: GET /price/<item> asks the pricing backend and answers its price, or 502 when the
backend fails. `python3 shop.py <port> <pricingPort>`

PLANTED BUG (retry-once): a refused connect is retried once; when the retry is refused too, the
loop falls through to a "default" price of 0 that is served as if the backend had said it.
One refusal is survived; two in a row quote a wrong price.
"""
import json
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT, PRICING = int(sys.argv[1]), int(sys.argv[2])


def ask_price(item):
    price = "0"  # placeholder until the backend answers
    for attempt in range(2):
        try:
            with socket.create_connection(("127.0.0.1", PRICING), timeout=5) as sock:
                sock.sendall(("PRICE %s\n" % item).encode())
                price = sock.makefile().readline().strip()
                break
        except ConnectionRefusedError:
            time.sleep(0.05)  # the backend restarting: try again once
    return price


class ShopHandler(BaseHTTPRequestHandler):
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
        if not self.path.startswith("/price/"):
            return self.reply(404, {"error": "not found"})
        try:
            price = ask_price(self.path[len("/price/"):])
        except OSError as err:
            return self.reply(502, {"error": "pricing failed: %s" % err})
        if not price.isdigit():
            return self.reply(502, {"error": "pricing answered %r" % price})
        self.reply(200, {"price": int(price)})


HTTPServer(("127.0.0.1", PORT), ShopHandler).serve_forever()
