#!/usr/bin/env python3
"""Writes a `weft up` config folder for the benchmarks: one Gateway, N HTTPRoutes, backends.

    gen-config.py DIR [--routes N] [--hosts H] [--backend-port P] [--gateway-port 80]

Layout (realistic routing, not one catch-all):
  gateway.yaml   Namespace `bench`, Gateway `bench/bench-gw` (class weft), listener `http` on port 80, no hostname.
  backends.yaml  10 Services `svc-0..9` (port 80 → targetPort `http`) selecting one WorkloadEntry
                 `bench-backend` at 127.0.0.1:P (the peers.sh backend, nginx `return 200`).
  routes.yaml    N HTTPRoutes. N-5 of them spread over H-1 hostnames `hN.bench.example.com`, each with
                 3 rules (PathPrefix /api/vI + header x-tenant, Exact /status/I or PathPrefix /rI with
                 method GET, and every 10th route a RegularExpression /items/[0-9]+/rI); the last 5 have
                 no hostname: they make the catch-all virtual host (the H-th) that a request with
                 `Host: 127.0.0.1:PORT` lands in — which is what peers.sh sends. Four of those carry
                 PathPrefix / with a header match (x-variant, x-canary…) or longer prefixes, so they
                 rank before the last route, `bench/zz-default` (PathPrefix /, no header), which
                 is the one every benchmark request matches: the lookup evaluates and rejects every
                 other rule of its virtual host first.
"""
import argparse
import os


def route(name, hostnames, rules):
    out = ["---", "apiVersion: gateway.networking.k8s.io/v1", "kind: HTTPRoute",
           "metadata:", f"  name: {name}", "  namespace: bench", "spec:",
           "  parentRefs:", "  - name: bench-gw"]
    if hostnames:
        out.append("  hostnames:")
        out += [f"  - {h}" for h in hostnames]
    out.append("  rules:")
    for matches, svc in rules:
        out.append("  - matches:")
        for m in matches:
            first = True
            for line in m:
                out.append(("    - " if first else "      ") + line)
                first = False
        out += ["    backendRefs:", f"    - name: {svc}", "      port: 80"]
    return "\n".join(out) + "\n"


def named_route(i, host):
    svc = f"svc-{i % 10}"
    rules = [
        ([["path:", "  type: PathPrefix", f"  value: /api/v{i}", "headers:", "- name: x-tenant", f"  value: tenant-{i}"]], svc),
        ([["path:", "  type: Exact", f"  value: /status/{i}"],
          ["path:", "  type: PathPrefix", f"  value: /r{i}", "method: GET"]], svc),
    ]
    if i % 10 == 0:
        rules.append(([["path:", "  type: RegularExpression", f"  value: /items/[0-9]+/r{i}"]], svc))
    return route(f"r{i:05d}", [host], rules)


def catch_all_routes():
    # Ranked before zz-default by Gateway API precedence (longer prefix, or same prefix + more headers).
    return "".join([
        route("za-canary", [], [([["path:", "  type: PathPrefix", "  value: /", "headers:", "- name: x-canary", "  value: \"true\""]], "svc-1")]),
        route("zb-variant", [], [([["path:", "  type: PathPrefix", "  value: /", "headers:", "- name: x-variant", "  value: b"],
                                   ["path:", "  type: PathPrefix", "  value: /", "headers:", "- name: x-variant", "  value: c"]], "svc-2")]),
        route("zc-static", [], [([["path:", "  type: PathPrefix", "  value: /static"]], "svc-3"),
                                ([["path:", "  type: Exact", "  value: /favicon.ico"]], "svc-3")]),
        route("zd-api", [], [([["path:", "  type: PathPrefix", "  value: /api", "method: POST"]], "svc-4"),
                             ([["path:", "  type: PathPrefix", "  value: /", "headers:", "- name: x-user-type", "  value: premium"]], "svc-4")]),
        route("zz-default", [], [([["path:", "  type: PathPrefix", "  value: /"]], "svc-0")]),
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--routes", type=int, default=100)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--backend-port", type=int, default=18080)
    ap.add_argument("--gateway-port", type=int, default=80)
    a = ap.parse_args()
    if a.routes < 5 or a.hosts < 2:
        ap.error("need --routes >= 5 and --hosts >= 2")
    os.makedirs(a.dir, exist_ok=True)

    with open(os.path.join(a.dir, "gateway.yaml"), "w") as f:
        f.write(f"""apiVersion: v1
kind: Namespace
metadata:
  name: bench
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bench-gw
  namespace: bench
spec:
  gatewayClassName: weft
  listeners:
  - name: http
    protocol: HTTP
    port: {a.gateway_port}
""")

    with open(os.path.join(a.dir, "backends.yaml"), "w") as f:
        docs = []
        for s in range(10):
            docs.append(f"""apiVersion: v1
kind: Service
metadata:
  name: svc-{s}
  namespace: bench
spec:
  selector:
    app: bench-backend
  ports:
  - name: http
    port: 80
    targetPort: http
""")
        docs.append(f"""apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: bench-backend
  namespace: bench
spec:
  address: 127.0.0.1
  labels:
    app: bench-backend
  ports:
    http: {a.backend_port}
""")
        f.write("---\n".join(docs))

    named = a.routes - 5
    with open(os.path.join(a.dir, "routes.yaml"), "w") as f:
        for i in range(named):
            f.write(named_route(i, f"h{i % (a.hosts - 1)}.bench.example.com"))
        f.write(catch_all_routes())


if __name__ == "__main__":
    main()
