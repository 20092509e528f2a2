# The gate: compare the collected distributions with the build plan pyrel
# embedded in this workflow (PLAN, JSON data), before anything is uploaded.
# Every planned file must be here, and nothing else; `pyrel plan` shows the
# same plan. Platform tags the build chooses (the manylinux glibc floor, the
# macOS deployment target) are globs in the plan.
import fnmatch, json, os, re, sys

plan = json.loads(os.environ["PLAN"])
folder = os.environ.get("DIST_DIR", "dist")
files = sorted(f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f)))
name = plan["name"]
# The distribution name as any tool may spell it (PEP 503: runs of -_. and
# case do not matter), rewritten to the plan's spelling.
spelled = re.compile("[-_.]+".join(re.escape(p) for p in name.split("_")) + "-", re.I)


def normalized(filename):
    m = spelled.match(filename)
    rest = filename[m.end():] if m else filename
    return (name + "-" + rest).lower() if m else filename.lower()


versions = set()
for f in files:
    m = re.fullmatch(re.escape(name) + r"-(.+)\.tar\.gz", normalized(f))
    if m:
        versions.add(m.group(1))
# The version is never written into the plan (it changes every release): it
# is the sdist's.
version = versions.pop() if len(versions) == 1 else "*"

expected = []
for d in plan["dists"]:
    shown = d["file"].replace("{version}", version)
    expected.append(dict(d, shown=shown, pattern=shown.lower(), found=[]))

unexpected = []
for f in files:
    hits = [e for e in expected if fnmatch.fnmatchcase(normalized(f), e["pattern"])]
    if not hits:
        unexpected.append(f)
    for e in hits:
        e["found"].append(f)

errors = []
for e in expected:
    if len(e["found"]) == 1:
        print(f"planned    {e['found'][0]} ({e['platform']})")
    elif not e["found"] and e.get("optional"):
        print(f"optional   {e['shown']} ({e['platform']}): not here, allowed")
    elif not e["found"]:
        errors.append(f"missing: no file matches {e['shown']} ({e['platform']})")
    else:
        errors.append(
            f"unexpected: {len(e['found'])} files for {e['shown']} ({e['platform']}): "
            + ", ".join(e["found"])
        )
for f in unexpected:
    errors.append(f"unexpected: {f} is not in the build plan")

for message in errors:
    print(f"::error::{message}")
if errors:
    sys.exit(
        f"{len(errors)} difference(s) between the distributions and the build plan: "
        "nothing is uploaded. Run `pyrel plan` to see the plan."
    )
print(f"All {len(files)} distributions match the build plan.")
