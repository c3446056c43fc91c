"""Search benchmark: ``make bench`` or ``python -m bench [--sizes 1000,10000,100000]``.

Prints, for this machine:
- suggestion latency (embed query + search + fetch rows) at each index size, median/p95;
- memory (RSS) of a web worker with the model and the largest index loaded;
- index build time (embedding + writing) per case, measured on --build cases;
- exact (flat) vs approximate (HNSW) FAISS search at the largest size: time and recall.

Real texts are embedded for the base corpus (the eval and demo cases); the large indexes
are grown from them synthetically (mixtures of real vectors, sentences of real cases), as
embedding 100k texts takes hours on 2 cores. Latency does not depend on the exact texts.
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

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import Doc, SearchIndex, create_schema, load_embedder  # noqa: E402
from index.documents import case_document  # noqa: E402


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


def real_cases() -> list[dict]:
    cases = []
    for path in (ROOT / "index/eval/cases.jsonl", ROOT / "content/demo/cases.jsonl"):
        with open(path, encoding="utf-8") as fh:
            cases += [json.loads(line) for line in fh if line.strip()]
    return cases


def real_queries() -> list[str]:
    with open(ROOT / "index/eval/queries.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["query"] for line in fh if line.strip()]


def synthetic_corpus(n, base_docs, base_vecs, rng):
    """Grow n case documents from real ones: mixed sentences, mixed vectors."""
    sentences = [s.strip() for d in base_docs for s in d.text.split(".") if len(s.strip()) > 20]
    docs, vecs = [], np.empty((n, base_vecs.shape[1]), dtype=np.float32)
    for i in range(n):
        a, b = rng.randrange(len(base_docs)), rng.randrange(len(base_docs))
        text = ". ".join(rng.sample(sentences, 4))
        docs.append(Doc("case", str(i + 1), base_docs[a].title, text, text[:200], f"syn-{i}"))
        v = 0.7 * base_vecs[a] + 0.3 * base_vecs[b]
        v += np.random.default_rng(i).normal(0, 0.02, v.shape).astype(np.float32)
        vecs[i] = v / np.linalg.norm(v)
    return docs, vecs


def build_db(workdir: Path, embedder, docs, vecs) -> sqlite3.Connection:
    conn = sqlite3.connect(str(workdir / "portal.sqlite3"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    create_schema(conn)
    index = SearchIndex(workdir, embedder)
    for start in range(0, len(docs), 5000):
        index.write_docs(conn, docs[start : start + 5000], vecs[start : start + 5000])
    return conn


def percentile(values, p):
    return float(np.percentile(values, p))


def latency(conn, index, queries, rounds: int) -> dict:
    index.refresh(conn)  # load once, like a warm web worker
    total, search_only = [], []
    for q in (queries * (rounds // len(queries) + 1))[:rounds]:
        t0 = time.perf_counter()
        qvec = index.embed_query(q)
        t1 = time.perf_counter()
        hits = index.search(conn, q, k=5, kind="case", query_vector=qvec)
        t2 = time.perf_counter()
        assert hits
        total.append((t2 - t0) * 1000)
        search_only.append((t2 - t1) * 1000)
    return {
        "median_ms": statistics.median(total),
        "p95_ms": percentile(total, 95),
        "search_median_ms": statistics.median(search_only),
        "search_p95_ms": percentile(search_only, 95),
    }


def worker_memory(data_dir: Path) -> dict:
    """RSS of a fresh process that loads the portal app, the model and the index."""
    code = (
        "import os, resource\n"
        "def rss():\n"
        "    for l in open('/proc/self/status'):\n"
        "        if l.startswith('VmRSS'): return int(l.split()[1]) // 1024\n"
        "from portal import create_app\n"
        "app = create_app({'DATA_DIR': os.environ['BENCH_DIR']})\n"
        "base = rss()\n"
        "with app.app_context():\n"
        "    from portal.db import get_db\n"
        "    from portal.search import get_index\n"
        "    idx = get_index(); idx.embed_query('warm up')\n"
        "    model = rss()\n"
        "    st = idx.status(get_db().conn)\n"
        "    idx.search(get_db().conn, 'een leerling die steeds wegloopt', k=5)\n"
        "print(base, model, rss(), st['in_memory']['case'])\n"
    )
    env = {**os.environ, "BENCH_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    base, model, loaded, count = map(int, out[-4:])
    return {"app_mb": base, "with_model_mb": model, "with_index_mb": loaded, "cases": count}


def hnsw_vs_flat(vecs: np.ndarray, queries: np.ndarray) -> dict:
    flat = faiss.IndexFlatIP(vecs.shape[1])
    flat.add(vecs)
    t = time.perf_counter()
    _, exact = flat.search(queries, 10)
    flat_ms = (time.perf_counter() - t) * 1000 / len(queries)
    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(vecs.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    hnsw.add(vecs)
    build_s = time.perf_counter() - t
    results = {"flat_ms_per_query": flat_ms, "hnsw_build_s": build_s}
    for ef in (32, 64, 128):
        hnsw.hnsw.efSearch = ef
        t = time.perf_counter()
        _, approx = hnsw.search(queries, 10)
        ms = (time.perf_counter() - t) * 1000 / len(queries)
        recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
        results[f"hnsw_ef{ef}"] = {"ms_per_query": ms, "recall@10": float(recall)}
    return results


def build_time(embedder, base_cases, n: int, workdir: Path) -> dict:
    """Embed and write n real-sized cases through the index, as an import does."""
    conn = sqlite3.connect(str(workdir / "build.sqlite3"), isolation_level=None)
    create_schema(conn)
    index = SearchIndex(workdir, embedder)
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
    parser.add_argument("--queries", type=int, default=300, help="searches per size")
    parser.add_argument("--build", type=int, default=500, help="cases embedded for build time")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    print(machine())
    embedder = load_embedder()
    print(f"model: {embedder.model_id}")
    cases = real_cases()
    base_docs = [
        case_document(i, c["title"], c["body"], c["answers"][c["best"]]["body"], c.get("ref"))
        for i, c in enumerate(cases)
    ]
    base_vecs = embedder.embed_passages([f"{d.title}\n{d.text}" for d in base_docs])
    queries = real_queries()
    rng = random.Random(42)
    largest = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            workdir = Path(tmp) / str(n)
            workdir.mkdir()
            docs, vecs = synthetic_corpus(n, base_docs, base_vecs, rng)
            conn = build_db(workdir, embedder, docs, vecs)
            index = SearchIndex(workdir, embedder)
            t = time.perf_counter()
            index.refresh(conn)
            load_s = time.perf_counter() - t
            index.save(conn)
            t = time.perf_counter()
            SearchIndex(workdir, embedder).refresh(conn)
            load_file_s = time.perf_counter() - t
            lat = latency(conn, index, queries, args.queries)
            print(
                f"{n:>7} cases: suggestion latency median {lat['median_ms']:.1f} ms, "
                f"p95 {lat['p95_ms']:.1f} ms (search+fetch alone: median "
                f"{lat['search_median_ms']:.1f} ms, p95 {lat['search_p95_ms']:.1f} ms); "
                f"cold load from SQLite {load_s:.2f} s, from the FAISS file {load_file_s:.2f} s"
            )
            conn.close()
            largest = (n, workdir, vecs)
        n, workdir, vecs = largest
        mem = worker_memory(workdir)
        print(
            f"memory of one worker: app {mem['app_mb']} MB, + model {mem['with_model_mb']} MB, "
            f"+ index of {mem['cases']} cases {mem['with_index_mb']} MB (RSS)"
        )
        qvecs = embedder.embed_queries(queries[:100])
        cmp = hnsw_vs_flat(vecs, qvecs)
        line = f"FAISS at {n}: flat {cmp['flat_ms_per_query']:.2f} ms/query (exact)"
        for ef in (32, 64, 128):
            r = cmp[f"hnsw_ef{ef}"]
            line += f"; HNSW ef={ef} {r['ms_per_query']:.2f} ms, recall@10 {r['recall@10']:.3f}"
        print(line + f"; HNSW build {cmp['hnsw_build_s']:.1f} s")
        build = build_time(embedder, cases, args.build, Path(tmp))
        print(
            f"index build: {build['cases']} cases in {build['seconds']:.1f} s = "
            f"{build['per_case_ms']:.0f} ms per case -> 10k cases ~ "
            f"{build['per_case_ms'] * 10000 / 60000:.1f} min (embedding dominates)"
        )


if __name__ == "__main__":
    main()
