"""The WeChat API as far as .ci/api-contract needs it: every token request gets a token, every
other call succeeds (errcode 0), so that a menu push or a notice is answered as WeChat would
answer a good one. Prints its port, then serves until killed."""

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WeChat(BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if "token" in self.path.split("?")[0]:
            body = {"access_token": "contract-access-token", "expires_in": 7200}
        else:
            body = {"errcode": 0, "errmsg": "ok", "msgid": 1}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = answer
    do_POST = answer

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), WeChat)
print(server.server_address[1], flush=True)
server.serve_forever()
