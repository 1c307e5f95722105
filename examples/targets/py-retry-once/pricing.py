"""The pricing backend: a TCP line service. `PRICE <item>` -> `42`. `python3 pricing.py <port>`"""
import socketserver
import sys

PRICES = {"widget": "42"}


class PriceHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            cmd, _, item = line.decode().strip().partition(" ")
            answer = PRICES.get(item, "NONE") if cmd == "PRICE" else "ERR"
            self.wfile.write((answer + "\n").encode())


socketserver.TCPServer.allow_reuse_address = True
socketserver.TCPServer(("127.0.0.1", int(sys.argv[1])), PriceHandler).serve_forever()
