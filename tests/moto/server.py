"""moto's server, handling one request at a time.

DynamoDB applies a conditional write atomically; moto's threaded server does not (two PutItems
with `attribute_not_exists` can both pass their condition when their threads interleave). The
idempotency proofs depend on exactly that guarantee, so this runs moto's own WSGI app behind one
lock: connections are still accepted concurrently, but each request is handled whole before the
next. Everything else is `moto_server`'s main (same app, same request handler).

Usage: python tests/moto/server.py PORT
"""

import signal
import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


class OneAtATime:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            # Drain the response inside the lock: moto builds bodies lazily in places.
            return list(self.app(environ, start_response))


def main():
    port = int(sys.argv[1])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        "127.0.0.1",
        port,
        OneAtATime(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
