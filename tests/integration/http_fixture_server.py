#!/usr/bin/env python3
"""http_fixture_server.py - a small HTTP server for test-update.sh.

    http_fixture_server.py ROOT LOG [CERT KEY]

Listens on 127.0.0.1, on a port the kernel picks, and prints that port as
one line on standard output, which it then closes: the shell reads it from
a FIFO, so it knows the port once the socket is listening (no sleeping).
Serves the files in ROOT (read afresh on every request) under these paths:

  /files/NAME     NAME with an ETag (a hash of the content) and Last-Modified
                  (its mtime); 304 Not Modified when If-None-Match matches
                  or, without If-None-Match, If-Modified-Since is not older
  /truncate/NAME  the headers of a full 200, half the body, then the
                  connection closes: a transfer cut short
  /cut/NAME       half the body as a complete 200 (Content-Length says
                  half): a well-transferred but truncated file
  /html200/NAME   an HTML error page with status 200
  /html500/NAME   an HTML error page with status 500
  /redirect/NAME  302 to /files/NAME
  /loop/NAME      302 to itself
  /gate/NAME      first writes a line to the FIFO ROOT/gate.arrived, then
                  waits until the FIFO ROOT/gate.release is written and
                  closed, then answers as /files/NAME: the test holds an
                  update in the middle of its download for as long as it
                  needs, without timing anything
Anything else is 404.  Each request appends one line to LOG, before the
answer is sent (so a client that has its answer finds the line there):
  METHOD PATH inm=... ims=... status=N body=BYTES
With CERT and KEY (PEM files) it speaks HTTPS instead.  Stops on SIGTERM.
"""
import email.utils
import hashlib
import http.server
import os
import ssl
import sys
import threading

HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Error</title></head>\n"
             b"<body><h1>Service temporarily unavailable</h1><p>Please try again later.</p></body></html>\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fixture/1"

    def log_message(self, fmt, *args):  # quiet: LOG gets one line per request
        pass

    def record(self, status, body):
        line = "%s %s inm=%s ims=%s status=%d body=%d\n" % (
            self.command, self.path, self.headers.get("If-None-Match", "-"),
            self.headers.get("If-Modified-Since", "-").replace(" ", "_"), status, body)
        with self.server.log_lock:
            with open(self.server.log_path, "a", encoding="utf-8") as log:
                log.write(line)

    def answer(self, status, body, content_type="application/xml", headers=(), length=None, send=None):
        data = body if send is None else body[:send]
        # Logged before answering: once the client has its answer, the
        # test may read the log.
        self.record(status, len(data))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True

    def read_file(self, name):
        path = os.path.join(self.server.root, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                return f.read(), os.stat(path).st_mtime
        except OSError:
            return None, None

    def serve_file(self, name):
        data, mtime = self.read_file(name)
        if data is None:
            return self.answer(404, b"not found\n", "text/plain")
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:20]
        last_modified = email.utils.formatdate(int(mtime), usegmt=True)
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            not_modified = inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
        elif ims is not None:
            try:
                not_modified = int(mtime) <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                not_modified = False
        if not_modified:
            self.record(304, 0)
            self.send_response(304)
            for name, value in validators:
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            self.close_connection = True
            return None
        return self.answer(200, data, headers=validators)

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/", 1)
        kind, name = (parts + [""])[:2]
        if kind == "files":
            return self.serve_file(name)
        if kind in ("truncate", "cut"):
            data, _ = self.read_file(name)
            if data is None:
                return self.answer(404, b"not found\n", "text/plain")
            half = len(data) // 2
            if kind == "truncate":
                return self.answer(200, data, send=half)
            return self.answer(200, data[:half])
        if kind == "html200":
            return self.answer(200, HTML_PAGE, "text/html")
        if kind == "html500":
            return self.answer(500, HTML_PAGE, "text/html")
        if kind in ("redirect", "loop"):
            self.record(302, 0)
            self.send_response(302)
            self.send_header("Location", ("/files/" if kind == "redirect" else "/loop/") + name)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            return None
        if kind == "gate":
            with open(os.path.join(self.server.root, "gate.arrived"), "w") as arrived:
                arrived.write("arrived\n")
            with open(os.path.join(self.server.root, "gate.release")) as release:
                release.read()
            return self.serve_file(name)
        return self.answer(404, b"not found\n", "text/plain")

    do_HEAD = do_GET


def main():
    if len(sys.argv) not in (3, 5):
        sys.exit("usage: http_fixture_server.py ROOT LOG [CERT KEY]")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if len(sys.argv) == 5:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    server.root = sys.argv[1]
    server.log_path = sys.argv[2]
    server.log_lock = threading.Lock()
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the reader of the port is gone: nothing more goes there
    os.close(devnull)
    server.serve_forever()


if __name__ == "__main__":
    main()
