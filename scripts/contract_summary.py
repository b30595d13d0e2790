#!/usr/bin/env python3
"""Per-operation summary of a schemathesis run, from its NDJSON report (`--report ndjson`).

For each operation: the cases sent, the share answered 2xx, and the same for the cases generated as
valid data (schemathesis's positive mode) — how often a run reaches the operation's happy path rather
than its refusals. Operations that never answered 2xx are listed at the end. The coverage phase's probes
of methods an operation's path does not have (answered 405) are counted apart, not as the operation's.

    python3 scripts/contract_summary.py target/contract-report/*.ndjson
"""

import collections
import json
import sys


def cases(paths):
    """(operation, method sent, mode, status) of every case sent, from ScenarioFinished events."""
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                event = json.loads(line).get("ScenarioFinished")
                if not event:
                    continue
                recorder = event["recorder"]
                for case_id, interaction in recorder.get("interactions", {}).items():
                    response = interaction.get("response")
                    case = recorder["cases"][case_id]["value"]
                    # A unit phase's scenario is one operation (its label); a stateful one spans several.
                    label = recorder.get("label", "")
                    op = label if " /" in label else f"{case['method'].upper()} {case['path']}"
                    mode = case.get("meta", {}).get("generation", {}).get("mode", "positive")
                    yield op, case["method"].upper(), mode, response["status_code"] if response else None


def main(paths):
    if not paths:
        sys.exit("usage: contract_summary.py REPORT.ndjson...")
    ops = collections.defaultdict(lambda: {"all": 0, "ok": 0, "pos": 0, "pos_ok": 0})
    probes = collections.Counter()
    for op, method, mode, status in cases(paths):
        if method != op.split(" ", 1)[0]:
            probes[status] += 1
            continue
        ok = status is not None and 200 <= status < 300
        row = ops[op]
        row["all"] += 1
        row["ok"] += ok
        if mode == "positive":
            row["pos"] += 1
            row["pos_ok"] += ok
    if not ops:
        sys.exit("no cases in the report")

    def share(part, whole):
        return f"{100 * part / whole:5.1f}%" if whole else "    -"

    width = max(len(op) for op in ops)
    print()
    print(f"{'operation':<{width}}  {'cases':>5}  {'2xx':>6}  {'valid':>5}  {'2xx':>6}")
    print(f"{'':<{width}}  {'':>5}  {'':>6}  {'cases':>5}  {'valid':>6}")
    for op in sorted(ops, key=lambda o: (o.split(" ", 1)[1], o)):
        r = ops[op]
        print(f"{op:<{width}}  {r['all']:>5}  {share(r['ok'], r['all'])}  {r['pos']:>5}  {share(r['pos_ok'], r['pos'])}")
    total = {k: sum(r[k] for r in ops.values()) for k in ("all", "ok", "pos", "pos_ok")}
    print(f"{'all ' + str(len(ops)) + ' operations':<{width}}  {total['all']:>5}  {share(total['ok'], total['all'])}"
          f"  {total['pos']:>5}  {share(total['pos_ok'], total['pos'])}")
    never = sorted(op for op, r in ops.items() if r["ok"] == 0)
    reached = len(ops) - len(never)
    if probes:
        answers = ", ".join(f"{n} × {status}" for status, n in sorted(probes.items(), key=lambda i: str(i[0])))
        print(f"Undocumented-method probes: {sum(probes.values())} ({answers}).")
    print(f"\n{reached} of {len(ops)} operations answered 2xx at least once.")
    if never:
        print("Never 2xx: " + ", ".join(never))


if __name__ == "__main__":
    main(sys.argv[1:])
