"""The gateway: GET /quote/<symbol> asks the quotes backend and answers 200 with the price, or
502 when the backend fails. `python3 gateway.py <port> <quotesPort>`

PLANTED BUG (missing-timeout): the backend call has no timeout. A backend that is slow or stuck
(a delayed reply, a server spinning on a failed accept) holds the request for as long as it is
stuck, instead of the 502 the gateway would answer after a second.
"""
import os
import socket
import sys
from http.server import HTTPServer

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from json_http import price_handler  # noqa: E402

PORT, QUOTES = int(sys.argv[1]), int(sys.argv[2])


def ask_quote(symbol):
    with socket.create_connection(("127.0.0.1", QUOTES)) as sock:  # no timeout=: waits for ever
        sock.sendall(("QUOTE %s\n" % symbol).encode())
        return sock.makefile().readline().strip()


HTTPServer(("127.0.0.1", PORT), price_handler("/quote/", ask_quote, "quotes")).serve_forever()
