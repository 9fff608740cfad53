#!/usr/bin/env python3
"""Instructions per request of the emulator's server, and of the bare hyper server, under callgrind.

    cargo bench -p sso-admin-emulator --bench throughput --no-run     # the release binaries
    python3 bench/callgrind/profile.py [--case read|write] [--requests N] [--server emulator|bare]

Starts the server under `valgrind --tool=callgrind`, prepares it as the throughput bench does (5
permission sets), warms up, zeroes the counters, sends the requests over one keep-alive
connection, dumps the counters and prints the instructions per request (server process, user
space). Callgrind counts instructions, not time, so the figure does not move with the load of the
machine. The dump stays in `target/callgrind/` for `callgrind_annotate`.
"""

import argparse
import glob
import http.client
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "target", "callgrind")
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/sso/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000"
)


def binary(server):
    if server == "emulator":
        return [os.path.join(ROOT, "target/release/sso-admin-emulator"), "--port", "0",
                "--log-level", "warn"]
    benches = [path for path in glob.glob(os.path.join(ROOT, "target/release/deps/throughput-*"))
               if os.access(path, os.X_OK) and not path.endswith(".d")]
    if not benches:
        sys.exit("no throughput bench binary: run `cargo bench -p sso-admin-emulator --bench "
                 "throughput --no-run`")
    return [max(benches, key=os.path.getmtime), "--bare-server"]


def call(connection, operation, body):
    connection.request("POST", "/", body=json.dumps(body), headers={
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": f"SWBExternalService.{operation}",
        "x-amz-date": "20240101T000000Z",
        "authorization": AUTHORIZATION,
    })
    response = connection.getresponse()
    payload = response.read()
    if response.status != 200:
        sys.exit(f"{operation}: HTTP {response.status} {payload!r}")
    return json.loads(payload)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=["read", "write"], default="read")
    parser.add_argument("--server", choices=["emulator", "bare"], default="emulator")
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    base = os.path.join(OUT, f"callgrind.out.{args.server}.{args.case}")
    for old in glob.glob(base + "*"):
        os.remove(old)
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={base}"] + binary(args.server),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(server.stdout.readline().strip().rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        bare = args.server == "bare"
        instance = ("arn:aws:sso:::instance/ssoins-1111111111111111" if bare else
                    call(connection, "ListInstances", {})["Instances"][0]["InstanceArn"])
        for n in range(5):
            call(connection, "CreatePermissionSet", {"InstanceArn": instance, "Name": f"read-{n}"})

        def one_round(number, tag):
            if args.case == "read":
                for _ in range(number):
                    call(connection, "ListPermissionSets", {"InstanceArn": instance})
                return number
            for n in range(number // 2):
                created = call(connection, "CreatePermissionSet",
                               {"InstanceArn": instance, "Name": f"{tag}-{n}"})
                call(connection, "DeletePermissionSet", {
                    "InstanceArn": instance,
                    "PermissionSetArn": created["PermissionSet"]["PermissionSetArn"],
                })
            return number // 2 * 2

        one_round(300, "warm")
        subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True,
                       stdout=subprocess.DEVNULL)
        sent = one_round(args.requests, "measured")
        subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True,
                       stdout=subprocess.DEVNULL)
        time.sleep(1)
        dumps = sorted(path for path in glob.glob(base + "*") if path != base)
        totals = 0
        with open(dumps[-1]) as dump:
            for line in dump:
                if line.startswith("totals:") or line.startswith("summary:"):
                    totals = int(line.split()[1])
        print(f"{args.server} {args.case}: {totals / sent:,.0f} instructions per request "
              f"({sent} requests; {dumps[-1]})")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
