#!/usr/bin/env python3
"""A minimal WhatsApp Cloud API campaign sender (Python standard library only).

It sends a small template campaign to a Cloud API base URL (Meta's, or `campaign-sim serve`'s),
retries throttling and transient errors with backoff, receives the status webhooks on its own
port, checks each X-Hub-Signature-256 with the app secret, and prints what it saw. Its last line
on stdout is a JSON summary.

    python3 scripts/examples/sender.py --base-url http://127.0.0.1:8080 --listen 9000 --count 50
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True, help="Graph API base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--version", default="v21.0")
    parser.add_argument("--token", default=os.environ.get("CAMPAIGNSIM_ACCESS_TOKEN"))
    parser.add_argument("--app-secret", default=os.environ.get("CAMPAIGNSIM_APP_SECRET"))
    parser.add_argument("--verify-token", default="", help="token expected in the webhook handshake")
    parser.add_argument("--phone-number-id", default="106540352242922")
    parser.add_argument("--template", default="spring_promo")
    parser.add_argument("--count", type=int, default=20, help="recipients to message")
    parser.add_argument("--rate", type=float, default=20.0, help="sends per second")
    parser.add_argument("--listen", type=int, default=9000, help="port of this sender's webhook receiver")
    parser.add_argument("--wait", type=float, default=5.0, help="seconds to wait for webhooks after sending")
    args = parser.parse_args()
    if not args.token or not args.app_secret:
        sys.exit("need --token and --app-secret (or CAMPAIGNSIM_ACCESS_TOKEN and CAMPAIGNSIM_APP_SECRET)")

    seen = Counter()
    errors = Counter()
    bad_signatures = [0]
    lock = threading.Lock()

    class Receiver(BaseHTTPRequestHandler):
        def do_GET(self):  # the subscribe handshake
            query = parse_qs(urlparse(self.path).query)
            token_ok = not args.verify_token or query.get("hub.verify_token", [""])[0] == args.verify_token
            if query.get("hub.mode", [""])[0] == "subscribe" and token_ok:
                challenge = query.get("hub.challenge", [""])[0].encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(challenge)))
                self.end_headers()
                self.wfile.write(challenge)
            else:
                self.send_response(403)
                self.end_headers()

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            expected = "sha256=" + hmac.new(args.app_secret.encode(), body, hashlib.sha256).hexdigest()
            signature = self.headers.get("X-Hub-Signature-256", "")
            with lock:
                if not hmac.compare_digest(signature, expected):
                    bad_signatures[0] += 1
                else:
                    for entry in json.loads(body).get("entry", []):
                        for change in entry.get("changes", []):
                            for status in change.get("value", {}).get("statuses", []):
                                seen[status["status"]] += 1
                                for error in status.get("errors", []):
                                    errors[error["code"]] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.listen), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"webhook receiver on http://127.0.0.1:{server.server_address[1]}/webhook", flush=True)

    # Wait for the API to come up (the emulator may be started after this script).
    for _ in range(300):
        try:
            urllib.request.urlopen(args.base_url + "/healthz", timeout=1).read()
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)

    url = f"{args.base_url}/{args.version}/{args.phone_number_id}/messages"
    http = Counter()
    accepted = 0
    for i in range(args.count):
        recipient = f"1555{i:07d}"
        body = json.dumps({
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient, "type": "template",
            "template": {"name": args.template, "language": {"code": "en_US"}},
        }).encode()
        for attempt in range(4):  # one try and up to three retries of 429/5xx
            request = urllib.request.Request(url, data=body, method="POST", headers={
                "Authorization": f"Bearer {args.token}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status = response.status
                    json.loads(response.read())
            except urllib.error.HTTPError as error:
                status = error.code
                code = json.loads(error.read() or b"{}").get("error", {}).get("code")
                print(f"{recipient}: HTTP {status} code {code}", flush=True)
            http[status] += 1
            if status not in (429, 500, 503):
                break
            time.sleep(min(8.0, 0.5 * 2 ** attempt))
        if status == 200:
            accepted += 1
        time.sleep(1.0 / args.rate)

    time.sleep(args.wait)
    server.shutdown()
    print(f"sent {args.count} messages: HTTP {dict(sorted(http.items()))}")
    print(f"statuses received: {dict(sorted(seen.items()))}, errors by code: {dict(sorted(errors.items()))}")
    print(f"bad signatures: {bad_signatures[0]}")
    print(json.dumps({
        "requests": sum(http.values()), "accepted_http": accepted, "http": {str(k): v for k, v in http.items()},
        "statuses": dict(seen), "errors": {str(k): v for k, v in errors.items()}, "bad_signatures": bad_signatures[0],
    }, sort_keys=True))


if __name__ == "__main__":
    main()
