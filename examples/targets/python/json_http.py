"""What the Python targets' HTTP services share: JSON replies, GET /health, and the price
front-end of py-retry-once and py-missing-timeout (a backend asked for a number, 502 otherwise).
Each target's own file holds its bug; this holds nothing a bug lives in."""
import json
from http.server import BaseHTTPRequestHandler


class JsonHandler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def health(self):
        """Answers GET /health; True when it did."""
        if self.path != "/health":
            return False
        self.reply(200, {"ok": True})
        return True


def price_handler(prefix, ask, what):
    """A handler for GET <prefix><item>: 200 {"price": n} from ask(item), 502 when it fails."""

    class PriceHandler(JsonHandler):
        def do_GET(self):
            if self.health():
                return
            if not self.path.startswith(prefix):
                return self.reply(404, {"error": "not found"})
            try:
                price = ask(self.path[len(prefix):])
            except OSError as err:
                return self.reply(502, {"error": "%s failed: %s" % (what, err)})
            if not price.isdigit():
                return self.reply(502, {"error": "%s answered %r" % (what, price)})
            self.reply(200, {"price": int(price)})

    return PriceHandler
