#!/usr/bin/env python3
"""Checks the status in testdata/conformance-*.out.yaml against the conformance suite's status
expectations (expectations.json): RouteCondition, RouteParents, RouteNoAcceptedParents,
GatewayStatusListeners, GatewayZeroRoutes and the parents/listeners steps of GatewayAndRoutesAccepted."""
import glob, json, os, sys, yaml

ROOT = os.environ.get("CONFORMANCE", "/work/shared/gateway-api/conformance")
CTRL = "weft.dev/gateway-controller"
exp = json.load(open(os.path.join(ROOT, "expectations.json")))
by_name = {t["shortName"]: t for t in exp["tests"]}

def conds_ok(actual, expected):
    return all(any(c["type"] == e["type"] and (e.get("status") is None or c["status"] == e["status"])
                   and (e.get("reason") is None or c["reason"] == e["reason"]) for c in actual) for e in expected)

failures = 0
for out in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "testdata", "conformance-*.out.yaml"))):
    case = os.path.basename(out)[len("conformance-"):-len(".out.yaml")]
    status = yaml.safe_load(open(out))["status"]
    def route(ns, name): return status.get(f"HTTPRoute/{ns}/{name}", {"parents": []})
    def gw(ns, name): return status.get(f"Gateway/{ns}/{name}")
    for t in [by_name[case]]:
        checks = list(t["conditions"])  # phases mutate objects: not covered
        for c in checks:
            k = c["check"]; ok = True; why = ""
            if k == "RouteCondition":
                ps = [p for p in route(c["namespace"], c["name"])["parents"] if p["parentRef"]["name"] == c["parent"]["name"]]
                ok = any(conds_ok(p["conditions"], [c]) for p in ps)
            elif k == "RouteParents":
                ps = route(c["namespace"], c["name"])["parents"]
                ok = len(ps) == len(c["parents"]) and all(
                    a["controllerName"] == CTRL and a["parentRef"].get("group") == e["parentRef"]["group"]
                    and a["parentRef"].get("kind") == e["parentRef"]["kind"] and a["parentRef"]["name"] == e["parentRef"]["name"]
                    and a["parentRef"].get("namespace") == e["parentRef"].get("namespace") and conds_ok(a["conditions"], e["conditions"])
                    for a, e in zip(ps, c["parents"]))
            elif k == "RouteNoAcceptedParents":
                ps = route(c["namespace"], c["name"])["parents"]
                ok = len(ps) == 0 or (len(ps) == 1 and any(x["type"] == "Accepted" and x["status"] == "False" for x in ps[0]["conditions"]))
            elif k == "GatewayZeroRoutes":
                g = gw(c["gateway"]["namespace"], c["gateway"]["name"])
                ok = g is not None and (len(g["listeners"]) == 0 or (len(g["listeners"]) == 1 and g["listeners"][0]["attachedRoutes"] == 0))
            elif k == "GatewayStatusListeners":
                g = gw(c["gateway"]["namespace"], c["gateway"]["name"])
                ls = {l["name"]: l for l in g["listeners"]} if g else {}
                ok = g is not None and len(g["listeners"]) == len(c["listeners"])
                for e in c["listeners"]:
                    a = ls.get(e["name"])
                    if a is None: ok = False; continue
                    kinds = {(k.get("group") or "gateway.networking.k8s.io", k["kind"]) for k in a["supportedKinds"]}
                    ek = {(k.get("group") or "gateway.networking.k8s.io", k["kind"]) for k in e["supportedKinds"]}
                    ok &= (len(kinds) == 0 if not ek else ek <= kinds) and a["attachedRoutes"] == e["attachedRoutes"] and conds_ok(a["conditions"], e["conditions"])
            elif k == "GatewayAndRoutesAccepted":
                g = gw(c["gateway"]["namespace"], c["gateway"]["name"])
                ok = g is not None and bool(g.get("addresses"))
                n = max(1, len(c["listenerNames"]))
                for r in c["routes"]:
                    ps = route(r["namespace"], r["name"])["parents"]
                    ok &= len(ps) == n and all(p["parentRef"]["name"] == c["gateway"]["name"] and any(
                        x["type"] == "Accepted" and x["status"] == "True" and x["reason"] == "Accepted" for x in p["conditions"]) for p in ps)
            else:
                continue
            print(("ok   " if ok else "FAIL ") + f"{t['shortName']}: {k} {json.dumps({x: c[x] for x in c if x not in ('check',)})[:160]}")
            failures += not ok
sys.exit(1 if failures else 0)
