"""Checks that medcode's declared rust-version covers what its locked
dependencies declare (all features). Reads `cargo metadata` on stdin.
The machine has one toolchain, so this compares declarations; it does not
compile with the older compiler."""
import json, sys

m = json.load(sys.stdin)
pkgs = {p["id"]: p for p in m["packages"]}
nodes = {n["id"]: n for n in m["resolve"]["nodes"]}
root = next(i for i, p in pkgs.items() if p["name"] == "medcode")


def ver(v):
    return tuple(int(x) for x in (v or "0").split(".")) + (0,) * (3 - len((v or "0").split(".")))


seen, stack = set(), [root]
while stack:
    i = stack.pop()
    if i in seen:
        continue
    seen.add(i)
    for d in nodes[i]["deps"]:
        kinds = {k["kind"] for k in d["dep_kinds"]}
        if kinds & {None, "build"}:
            stack.append(d["pkg"])
declared = pkgs[root]["rust_version"]
need = max((ver(pkgs[i].get("rust_version")), pkgs[i]["name"]) for i in seen if i != root)
print(f"medcode rust-version {declared}; highest dependency rust-version {'.'.join(map(str, need[0]))} ({need[1]})")
if ver(declared) < need[0]:
    sys.exit(f"rust-version {declared} is below {need[1]}'s")

# One rust-version for the workspace: every member declares the root's.
members = [pkgs[i] for i in m["workspace_members"]]
other = [(p["name"], p.get("rust_version")) for p in members if p.get("rust_version") != declared]
print(f"workspace members: {', '.join(p['name'] for p in members)}, all rust-version {declared}" if not other else "")
if other:
    sys.exit(f"workspace members with another rust-version than medcode's {declared}: {other}")
