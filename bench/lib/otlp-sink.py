"""An OTLP/HTTP receiver for the tracing benchmark: answers 200 to every export, keeps nothing, and writes
how many exports it took to a file (argv[2]) so the benchmark can tell that tracing was on."""
import http.server
import sys

port, count_file = int(sys.argv[1]), sys.argv[2]
exports = 0


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global exports
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        exports += 1
        with open(count_file, "w") as f:
            f.write(str(exports))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


open(count_file, "w").write("0")
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink)
print("listening", port, flush=True)
server.serve_forever()
