#!/usr/bin/env python3
"""Writes the hotel's demo data as `sf data import tree` files: plan.json and one file per object.

The records are the local Salesforce sandbox's seed (shared/salesforce-sandbox/src/seed), read back
from a sandbox started for the purpose, so a fresh org gets exactly what `cargo run -p dewy-local`
serves, and nothing is copied that could drift. The seed's dates are relative to the sandbox's
"today" (a check-in due today, stays to check out, future bookings), so the files are generated at
import time for today's date (UTC, the day the tools use) rather than kept in the repository.

usage: generate-seed.py OUT_DIR [--today YYYY-MM-DD] [--sandbox-url URL]

Without --sandbox-url it builds and runs the sandbox binary with cargo (from this checkout) and stops
it afterwards. With it, it reads a running sandbox (SANDBOX_CLIENT_ID / SANDBOX_CLIENT_SECRET, or
the sandbox's defaults); --today is then the sandbox's own.
"""

import argparse
import datetime
import json
import os
import secrets
import subprocess
import sys
import urllib.parse
import urllib.request

API_VERSION = "62.0"
REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def start_sandbox(today, client_id, client_secret):
    """The sandbox binary on a free port; returns the process and its base URL."""
    command = [
        "cargo", "run", "--quiet", "--locked", "-p", "dewy-salesforce-sandbox",
        "--bin", "salesforce-sandbox", "--", "--port", "0", "--today", today,
        "--client-id", client_id, "--client-secret", client_secret,
    ]
    print(f"starting the sandbox for {today}: {' '.join(command[:7])} ...", file=sys.stderr)
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    # Its first line says where it listens: "Salesforce sandbox listening on http://127.0.0.1:PORT".
    for line in process.stdout:
        if " listening on " in line:
            return process, line.split(" listening on ", 1)[1].strip()
    process.wait()
    sys.exit(f"the sandbox did not start (exit code {process.returncode})")


class Org:
    """Just enough of the Salesforce REST API: a client-credentials token, describe, query."""

    def __init__(self, base, client_id, client_secret):
        form = urllib.parse.urlencode({
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }).encode()
        token = self.fetch(f"{base}/services/oauth2/token", data=form)
        self.auth = {"Authorization": f"Bearer {token['access_token']}"}
        self.instance = token["instance_url"]
        self.data = f"{self.instance}/services/data/v{API_VERSION}"

    @staticmethod
    def fetch(url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def get(self, path):
        return self.fetch(f"{self.data}{path}", headers=self.auth)

    def query(self, soql):
        page = self.get("/query?" + urllib.parse.urlencode({"q": soql}))
        records = page["records"]
        while page.get("nextRecordsUrl"):
            page = self.fetch(self.instance + page["nextRecordsUrl"], headers=self.auth)
            records += page["records"]
        return records


def dependency_order(fields_by_object):
    """Objects ordered so that every object comes after the objects its lookups point at."""
    ordered, placed = [], set()
    pending = sorted(fields_by_object)
    while pending:
        ready = [
            name for name in pending
            if all(f["referenceTo"][0] in placed or f["referenceTo"][0] == name
                   for f in fields_by_object[name] if f["referenceTo"])
        ]
        if not ready:
            sys.exit(f"circular lookups between {pending}: the tree import cannot order them")
        ordered += ready
        placed.update(ready)
        pending = [name for name in pending if name not in placed]
    return ordered


def export(org, out_dir):
    """Writes one tree file per object and the plan; returns the record count per object."""
    objects = [o["name"] for o in org.get("/sobjects")["sobjects"]]
    # Only what a client may write: not the Id, autonumbers, formulas or system dates.
    fields = {
        name: [f for f in org.get(f"/sobjects/{name}/describe")["fields"] if f["createable"]]
        for name in objects
    }
    reference_ids, plan, counts = {}, [], {}
    for name in dependency_order(fields):
        columns = ", ".join(["Id"] + [f["name"] for f in fields[name]])
        records = []
        for index, row in enumerate(org.query(f"SELECT {columns} FROM {name}"), start=1):
            reference = f"{name}Ref{index}"
            reference_ids[row["Id"]] = reference
            record = {"attributes": {"type": name, "referenceId": reference}}
            for field in fields[name]:
                value = row.get(field["name"])
                if value is None:
                    continue
                if field["referenceTo"]:
                    # A lookup names the referenced record of an earlier file: "@<referenceId>".
                    value = "@" + reference_ids[value]
                record[field["name"]] = value
            records.append(record)
        if not records:
            continue
        file_name = f"{name}.json"
        with open(os.path.join(out_dir, file_name), "w") as f:
            json.dump({"records": records}, f, indent=2)
        plan.append({"sobject": name, "saveRefs": True, "resolveRefs": True, "files": [file_name]})
        counts[name] = len(records)
    with open(os.path.join(out_dir, "plan.json"), "w") as f:
        json.dump(plan, f, indent=2)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--today", help="the seed's today (default: today, UTC)")
    parser.add_argument("--sandbox-url", help="a running sandbox to read instead of starting one")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    process = None
    if args.sandbox_url:
        base = args.sandbox_url.rstrip("/")
        client_id = os.environ.get("SANDBOX_CLIENT_ID", "dewy-local-client")
        client_secret = os.environ.get("SANDBOX_CLIENT_SECRET", "dewy-local-secret")
    else:
        today = args.today or datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        client_id, client_secret = "dewy-seed", secrets.token_hex(16)
        process, base = start_sandbox(today, client_id, client_secret)
    try:
        counts = export(Org(base, client_id, client_secret), args.out_dir)
    finally:
        if process:
            process.terminate()
            process.wait()
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    print(f"seed written to {args.out_dir}/plan.json: {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
