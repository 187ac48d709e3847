"""Benchmark: peak memory and time of `import gdelt` on a generated GDELT day of ~100 MB.

    python benchmarks/import_gdelt.py [--mb 100]

Writes a day of GDELT 2.0's export (61 columns, rows of about GDELT's own length: names,
geography, a source URL) to a temporary folder, plain and zipped, and imports it in a child
process each time (`python -m timeline import gdelt ...`), with the size limit raised to fit.
The peak is the child's maximum resident set (resource.getrusage(RUSAGE_CHILDREN)), set
against the same interpreter importing the package and doing nothing, so that the
difference is what reading the day costs. Nothing is asserted: the rows are streamed, so
the peak should not grow with --mb, only with the events the filters keep.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_import_gdelt import gdelt_row  # noqa: E402

STATES = ["RUS", "IRN", "USA", "CHN", "TUR", "FRA", "DEU", "GBR", "IND", "BRA", "SYR", "ISR"]
NAMES = {"RUS": "RUSSIA", "IRN": "IRAN", "USA": "UNITED STATES", "CHN": "CHINA",
         "TUR": "TURKEY", "FRA": "FRANCE", "DEU": "GERMANY", "GBR": "UNITED KINGDOM",
         "IND": "INDIA", "BRA": "BRAZIL", "SYR": "SYRIA", "ISR": "ISRAEL"}  # fmt: skip
CODES = ["010", "036", "040", "042", "043", "046", "057", "111", "112", "130", "190"]


def day_rows(megabytes: int, seed: int = 1):
    """Yield rows of one day until about `megabytes` MB are written."""
    rng = random.Random(seed)
    size, n = 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        a, b = rng.sample(STATES, 2)
        types = rng.choice(["", "GOV", "MIL", "BUS"])
        row = gdelt_row(
            1_200_000_000 + n,
            "20240119",
            {"Code": a + types, "Name": NAMES[a], "CountryCode": a, "Type1Code": types},
            {"Code": b, "Name": NAMES[b], "CountryCode": b},
            rng.choice(CODES),
            ActionGeo_Type="4",
            ActionGeo_FullName="Moscow, Moscow City, Russia",
            ActionGeo_CountryCode="RS",
            ActionGeo_Lat="55.7522",
            ActionGeo_Long="37.6156",
            ActionGeo_FeatureID="-2960561",
            Actor1Geo_FullName="Tehran, Tehran, Iran",
            Actor2Geo_FullName="Washington, District of Columbia, United States",
            AvgTone=f"{rng.uniform(-8, 8):.6f}",
            GoldsteinScale="1.9",
            SOURCEURL=f"https://www.example.com/news/2024/01/19/story-{n}-{rng.random():.12f}.html",
        )
        size += len(row) + 1
        yield row


def peak(args: list[str], env: dict[str, str]) -> tuple[int, float, int, str]:
    """Return the child's peak RSS (KB), its seconds, its exit code and its last line."""
    code = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps([ru.ru_maxrss, p.returncode, (p.stderr.strip().splitlines() or [''])[-1]]))"
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    seconds = time.perf_counter() - start
    rss, returncode, last = json.loads(out.stdout)
    return rss, seconds, returncode, last


def main() -> None:
    """Write the day, import it in children, and print each peak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TIMELINE_MAX_BYTES": str(4 << 30)}
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "20240119.export.CSV"
        with plain.open("w") as out:
            for row in day_rows(args.mb):
                out.write(row + "\n")
        zipped = Path(folder) / "20240119.export.CSV.zip"
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(plain, plain.name)
        print(f"day: {plain.stat().st_size:,} bytes ({zipped.stat().st_size:,} zipped)")
        base = [sys.executable, "-c", "import timeline.cli"]
        rss, seconds, _, _ = peak(base, env)
        print(f"{'baseline (import the package)':48} peak {rss / 1024:7.1f} MB  {seconds:6.1f} s")
        cases = {
            "plain, --country Russia --country Iran": [plain, "--country", "Russia",
                                                       "--country", "Iran"],
            "zipped, --country Russia --country Iran": [zipped, "--country", "Russia",
                                                        "--country", "Iran"],
            "plain, --cameo 057 (one code, all states)": [plain, "--cameo", "057"],
        }  # fmt: skip
        for name, extra in cases.items():
            command = [sys.executable, "-m", "timeline", "import", "gdelt", *map(str, extra),
                       "-o", str(Path(folder) / "out.yaml")]  # fmt: skip
            rss, seconds, code, last = peak(command, env)
            print(f"{name:48} peak {rss / 1024:7.1f} MB  {seconds:6.1f} s  exit {code}: {last}")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
    main()
