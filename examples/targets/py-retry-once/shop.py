"""The shop: GET /price/<item> asks the pricing backend and answers its price, or 502 when the
backend fails. `python3 shop.py <port> <pricingPort>`

PLANTED BUG (retry-once): a refused connect is retried once; when the retry is refused too, the
loop falls through to a "default" price of 0 that is served as if the backend had said it.
One refusal is survived; two in a row quote a wrong price.
"""
import os
import socket
import sys
import time
from http.server import HTTPServer

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from json_http import price_handler  # noqa: E402

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


HTTPServer(("127.0.0.1", PORT), price_handler("/price/", ask_price, "pricing")).serve_forever()
