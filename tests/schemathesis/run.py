#!/usr/bin/env python3
"""Schemathesis, with every check, against the local stack's OpenAPI document, signed in as a
manager (who may call every tool).

Starts `dewy-local` (the binary given, on free ports), runs schemathesis with a fixed seed, and
passes when no request got a server error, no other check failed, and every schema-valid request
the API refused is one of EXPECTED: a rule the OpenAPI document cannot state, with its reason.

Usage: tests/schemathesis/run.py <dewy-local binary> [schemathesis arguments...]
"""

import base64
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# The refusals of schema-valid requests that are right: (error_code, message pattern, reason).
EXPECTED = [
    (
        r"ROOM_NOT_FOUND|BOOKING_NOT_FOUND|OPPORTUNITY_NOT_FOUND|CASE_NOT_FOUND|PAYMENT_NOT_FOUND"
        r"|GUEST_NOT_FOUND|RESERVATION_NOT_FOUND|GUEST_CONTACT_NOT_FOUND|MANAGER_CONTACT_NOT_FOUND"
        r"|DEVICE_NOT_FOUND",
        r"",
        "the record the request names does not exist",
    ),
    ("VALIDATION_ERROR", r"^No \w+ has the id", "the record the request names does not exist"),
    ("VALIDATION_ERROR", r"must be after", "one date field must come after another"),
    ("VALIDATION_ERROR", r"is in the past", "a date must be today or later"),
    ("VALIDATION_ERROR", r"covers at most", "a stay is at most 365 nights: a difference between two date fields"),
    ("VALIDATION_ERROR", r"cannot be before the booking's check-in", "a date must follow the stored booking's"),
    ("VALIDATION_ERROR", r"not a valid Salesforce record id", "a record id's last 3 characters are a checksum"),
    (
        "VALIDATION_ERROR",
        r"At least one filter is required|^Nothing to update|^Nothing to change",
        "at least one of several fields: JSON Schema can say it only with a top-level anyOf, which some "
        "model APIs refuse in a tool's input schema, so the tool's description says it instead",
    ),
    (
        "REQUIRED_FIELDS_MISSING",
        r"payment_method_id",
        "payment_method_id or payment_intent_id: a top-level anyOf, as above",
    ),
    (
        "REQUIRED_FIELDS_MISSING",
        r"guest_email|: email",
        "required of staff; a guest's email comes from the token, and one document serves both",
    ),
    ("REQUIRED_FIELDS_MISSING", r"opportunity_id", "required only when no booking has the external id yet"),
    ("VALIDATION_ERROR", r"a new case needs", "required only when no case has the token yet"),
    ("IDEMPOTENCY_KEY_REUSED", r"", "the idempotency token was already used with other arguments"),
    ("INVALID_CONTACT_TYPE", r"", "the contact named is of another type than the request needs"),
    (
        "VALIDATION_ERROR",
        r"goes only with status",
        "a field allowed only with one value of another: a top-level if/then, as above",
    ),
    ("VALIDATION_ERROR", r"Invalid currency", "a currency Stripe supports: Stripe's own list decides"),
    (
        "VALIDATION_ERROR",
        r"^Say what to do|^Give temperature, mode|^Give action|^Give hue and saturation together"
        r"|^Give color, or hue|^power off takes no",
        "one or two of several fields, or fields that go together: a top-level anyOf/oneOf or "
        "dependentRequired, as above",
    ),
    (
        "VALIDATION_ERROR",
        r"^temperature must be from",
        "the temperature's range depends on its unit (60-85 in F, 15.5-29.5 in C): an if/then, as above",
    ),
    ("FEATURE_NOT_SUPPORTED", r"", "what a device can do is the device's, read from Home Assistant"),
    ("VALIDATION_ERROR", r"is not an effect of this light", "a light's effects are the light's own list"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body):
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def start(binary):
    ports = [free_port() for _ in range(5)]
    args = ["--port", "--salesforce-port", "--stripe-port", "--twilio-port", "--home-assistant-port"]
    # The API only: the web portal is not built here (its first build is the portal tests' start).
    command = [binary, "--no-portal-build"] + [x for pair in zip(args, map(str, ports)) for x in pair]
    # The per-user rate limits would answer most of the fuzzed calls with 429: out of the way.
    command += ["--rate-limit-reads", "1000000", "--rate-limit-writes", "1000000", "--rate-limit-payments", "1000000"]
    log = open(Path(tempfile.gettempdir()) / "dewy-local-schemathesis.log", "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{ports[0]}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/openapi.json", timeout=1)
            return process, base
        except Exception:
            if process.poll() is not None:
                sys.exit(f"dewy-local exited; see {log.name}")
            time.sleep(0.2)
    process.kill()
    sys.exit(f"dewy-local did not start; see {log.name}")


def decode(content):
    raw = content.get("$base64")
    text = base64.b64decode(raw).decode("utf-8", "replace") if raw else content.get("text", "")
    try:
        return json.loads(text)
    except ValueError:
        return {"error_code": "<not JSON>", "error_message": text[:200]}


def failures(ndjson):
    """(operation, check code, response body) of every failed check."""
    for line in ndjson.read_text().splitlines():
        event = json.loads(line).get("ScenarioFinished")
        if not event:
            continue
        recorder = event["recorder"]
        for case_id, checks in recorder.get("checks", {}).items():
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                response = recorder["interactions"].get(case_id, {}).get("response") or {}
                body = decode(response.get("content") or {})
                yield failure["operation"], failure["code"], response.get("status_code"), body


def expected(body):
    code, message = body.get("error_code", ""), body.get("error_message", "")
    for pattern, text, reason in EXPECTED:
        if re.fullmatch(pattern, code) and re.search(text, message):
            return reason
    return None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    process, base = start(sys.argv[1])
    try:
        token = post(f"{base}/auth/login", {"email": "manager1@hotel.com", "password": "Hotel2026!"})
        ndjson = Path(tempfile.gettempdir()) / "dewy-schemathesis.ndjson"
        command = [
            "schemathesis", "run", f"{base}/openapi.json", "--checks", "all",
            "-H", f"Authorization: Bearer {token['access_token']}",
            "--seed", "1", "--max-examples", "30", "--workers", "2",
            "--report", "ndjson", "--report-ndjson-path", str(ndjson),
        ] + sys.argv[2:]
        run = subprocess.run(command, capture_output=True, text=True)
        if not ndjson.exists():
            print(run.stdout[-4000:], run.stderr[-4000:])
            sys.exit("schemathesis wrote no report")
        summary = re.search(r"Test cases:\s*\n\s*(.*)", run.stdout)
        print(f"schemathesis: {summary.group(1) if summary else run.stdout[-500:]}")
    finally:
        process.terminate()
        process.wait(timeout=10)

    problems, reasons = [], {}
    for operation, check, status, body in failures(ndjson):
        reason = expected(body) if check == "ST202" else None
        if reason:
            reasons.setdefault(reason, set()).add(operation)
        else:
            problems.append(f"{check} {operation}: {status} {json.dumps(body)[:300]}")
    for reason, operations in sorted(reasons.items()):
        print(f"refused as documented ({len(operations)} operations): {reason}")
    if problems:
        print("\n".join(sorted(set(problems))))
        sys.exit(f"{len(set(problems))} unexpected failures (server errors, or refusals no rule explains)")
    print("no server error; every refused schema-valid request is one of the rules listed above")


if __name__ == "__main__":
    main()
