"""Writes a deployment ledger of N-1 deployments of `app` to `dev`, as
relman writes it (one file per environment, history sealed in segments of
64 entries), and an audit trail with one record per deployment (its hash
chain intact, sealed in 64 KiB segments), so `benches/run.sh` times the Nth
deployment without making N-1 first. Usage: ledger.py DIR N"""
import hashlib
import json
import os
import sys

SEGMENT = 64
AUDIT_BYTES = 64 * 1024
HEADER = "# relman's deployment ledger (SPEC 7): written by relman, not by hand.\n"
AT = "2026-11-22T10:00:00+00:00"


def entry(n):
    version = f"0.{n // 1000}.{n % 1000}"
    previous = f"0.{(n - 1) // 1000}.{(n - 1) % 1000}" if n > 1 else None
    lines = [f'- "n": {n}', "  kind: deploy", "  service: app", f'  version: "{version}"']
    if previous:
        lines.append(f'  previous: "{previous}"')
    lines += ["  strategy: rolling", "  traffic: 100", "  by: Bench <bench@relman.invalid>",
              f'  at: "{AT}"', "  duration_ms: 3", "  result: succeeded"]
    return "\n".join(lines) + "\n", version, previous


def audit_line(last, record):
    seq = json.loads(last)["seq"] + 1 if last else 1
    prev = hashlib.sha256(last.encode()).hexdigest() if last else "0" * 64
    m = {"seq": seq}
    m.update(record)
    m["prev"] = prev
    m["hash"] = hashlib.sha256(json.dumps(m, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    return json.dumps(m, separators=(",", ":"), ensure_ascii=False)


def main():
    root, n = sys.argv[1], int(sys.argv[2])
    state = os.path.join(root, ".relman/state/environments")
    reports = os.path.join(root, "analysis/reports")
    os.makedirs(state, exist_ok=True)
    os.makedirs(reports, exist_ok=True)
    entries, sealed, version, previous = [], 0, None, None
    audit, last, audit_sealed = "", None, 0
    for i in range(1, n):
        text, version, previous = entry(i)
        if len(entries) >= SEGMENT:
            sealed += 1
            with open(os.path.join(state, f"dev.{sealed:06}.yaml"), "w") as f:
                f.write(HEADER + f"environment: dev\nsegment: {sealed}\nhistory:\n" + "".join(entries))
            entries = []
        entries.append(text)
        record = {"time": AT, "action": "deploy", "env": "dev", "service": "app", "version": version}
        if previous:
            record["previous"] = previous
        record.update({"strategy": "rolling", "result": "succeeded", "who": "Bench <bench@relman.invalid>"})
        line = audit_line(last, record)
        if audit and len(audit) + len(line) + 1 > AUDIT_BYTES:
            audit_sealed += 1
            with open(os.path.join(reports, f"audit.{audit_sealed:06}.log"), "w") as f:
                f.write(audit)
            audit = ""
        audit += line + "\n"
        last = line
    live = ""
    if version:
        live = f'  app:\n    version: "{version}"\n'
        if previous:
            live += f'    previous: "{previous}"\n'
        live += f'    strategy: rolling\n    traffic: 100\n    at: "{AT}"\n'
    with open(os.path.join(state, "dev.yaml"), "w") as f:
        f.write(HEADER + f"environment: dev\ncount: {n - 1}\nsealed: {sealed}\n"
                + ("live:\n" + live if live else "live: {}\n") + ("history:\n" + "".join(entries) if entries else "history: []\n"))
    with open(os.path.join(reports, "audit.log"), "w") as f:
        f.write(audit)


main()
