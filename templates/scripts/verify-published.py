# After publishing: what the index serves must be what this run built.
# 1. Wait (with retries, while the index propagates) until the index lists
#    every built file of this version, then compare each file's SHA-256
#    with the built one: a difference fails at once, loudly.
# 2. Install exactly <package>==<version> from that index into a fresh venv,
#    with pip checking every download against the built hashes.
# INDEX_URL is the index's root (https://pypi.org); pyrel's tests point it
# at a local server. PYREL_VERIFY_ATTEMPTS and PYREL_VERIFY_DELAY exist only
# so they can keep the retries short.
import hashlib, json, os, pathlib, re, subprocess, sys, time, urllib.error, urllib.request

index = os.environ["INDEX_URL"].rstrip("/")
package = os.environ["PACKAGE"]
project = re.sub(r"[-_.]+", "-", package).lower()
attempts = int(os.environ.get("PYREL_VERIFY_ATTEMPTS") or 20)
delay = float(os.environ.get("PYREL_VERIFY_DELAY") or 30)
dist = pathlib.Path(os.environ["DIST_DIR"])

built = {}
for f in sorted(dist.iterdir()):
    if f.is_file() and (f.name.endswith(".whl") or f.name.endswith(".tar.gz")):
        built[f.name] = hashlib.sha256(f.read_bytes()).hexdigest()
if not built:
    sys.exit(f"::error::no distributions in {dist}")
versions = set()
for name in built:
    if name.endswith(".whl"):
        versions.add(name.split("-")[1])
    else:
        versions.add(name[: -len(".tar.gz")].rsplit("-", 1)[1])
if len(versions) != 1:
    sys.exit(f"::error::the built distributions disagree on the version: {sorted(versions)}")
version = versions.pop()
url = f"{index}/pypi/{project}/{version}/json"


def served_files():
    """filename -> sha256 the index lists for this version; None if not yet."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = json.load(response)
    except urllib.error.HTTPError as e:
        print(f"{url}: HTTP {e.code}")
        return None
    except (urllib.error.URLError, OSError, ValueError) as e:
        print(f"{url}: {e}")
        return None
    return {u["filename"]: u["digests"]["sha256"] for u in data.get("urls", [])}


for attempt in range(1, attempts + 1):
    served = served_files()
    missing = sorted(set(built) - set(served or {}))
    if served is not None and not missing:
        break
    what = "not on the index yet" if served is None else f"missing {', '.join(missing)}"
    if attempt == attempts:
        sys.exit(f"::error::{package} {version} on {index}: {what} after {attempts} attempts")
    print(f"attempt {attempt}/{attempts}: {package} {version} {what}; retrying in {delay:g}s")
    time.sleep(delay)

differ = [n for n in sorted(built) if served[n] != built[n]]
for name in differ:
    print(f"::error::{name}: {index} serves sha256 {served[name]}, this run built {built[name]}")
if differ:
    sys.exit(f"::error::{len(differ)} file(s) on {index} differ from what this run built")
for name in sorted(set(served) - set(built)):
    print(f"::warning::{index} also serves {name}, which this run did not build")
print(f"{index} serves the {len(built)} files this run built, byte for byte:")
for name in sorted(built):
    print(f"  {built[name]}  {name}")

venv = pathlib.Path(os.environ["RUNNER_TEMP"]) / "verify"
subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
python = venv / "Scripts" / "python.exe"
if not python.exists():
    python = venv / "bin" / "python"
requirements = pathlib.Path(os.environ["RUNNER_TEMP"]) / "verify-requirements.txt"
hashes = " ".join(f"--hash=sha256:{h}" for h in sorted(set(built.values())))
requirements.write_text(f"{package}=={version} {hashes}\n")
install = [str(python), "-m", "pip", "install", "--no-cache-dir", "--no-deps", "--only-binary=:all:",
           "--require-hashes", "--index-url", f"{index}/simple/", "-r", str(requirements)]
for attempt in range(1, attempts + 1):
    if subprocess.run(install).returncode == 0:
        break
    if attempt == attempts:
        sys.exit(f"::error::could not install {package}=={version} from {index}/simple/ after {attempts} attempts")
    print(f"attempt {attempt}/{attempts}: the simple index may not list it yet; retrying in {delay:g}s")
    time.sleep(delay)
if os.environ.get("SMOKE_DEPS") == "true":
    # The package is installed; this adds its dependencies (from PyPI).
    subprocess.run([str(python), "-m", "pip", "install", "--no-cache-dir", f"{package}=={version}"], check=True)
print(f"Installed {package}=={version} from {index}.")
