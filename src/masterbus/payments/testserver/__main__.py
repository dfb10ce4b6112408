"""``python -m masterbus.payments.testserver``: run the test payment server (see __init__)."""

from __future__ import annotations

import argparse
import os

from masterbus.payments.testserver.server import make_server


def main() -> None:
    parser = argparse.ArgumentParser(prog="masterbus payments test server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8012)
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--public-url", default=None, help="base of the hosted page's links")
    args = parser.parse_args()
    # The secret comes through the environment, not the command line (visible in ps).
    secret = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    httpd = make_server(
        args.host,
        args.port,
        webhook_url=args.webhook_url,
        webhook_secret=secret,
        public_url=args.public_url,
    )
    print(
        f"Test payments (no real money) at http://{args.host}:{httpd.server_address[1]}/",
        flush=True,
    )
    httpd.serve_forever()


if __name__ == "__main__":
    main()
