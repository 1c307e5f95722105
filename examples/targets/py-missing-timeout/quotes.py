"""The quotes backend: a TCP line service. `QUOTE <symbol>` -> `<price>`. `python3 quotes.py <port>`"""
import socketserver
import sys


class QuoteHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            cmd, _, symbol = line.decode().strip().partition(" ")
            self.wfile.write(("17\n" if cmd == "QUOTE" and symbol == "ACME" else "NONE\n").encode())


socketserver.TCPServer.allow_reuse_address = True
socketserver.TCPServer(("127.0.0.1", int(sys.argv[1])), QuoteHandler).serve_forever()
