#!/usr/bin/env python3
"""An independent implementation of the runtime model (lib/estimates/runtime-model.ts) with numpy.

It reads the walkthrough's table as copied into test/fixtures (not the catalogue), solves the
same ridge regression with numpy's LAPACK solver (not the library's Gaussian elimination), and
writes the leave-one-out errors and the predictions of a few probe configurations to
test/fixtures/runtime-model-reference.json, which test/estimates/runtime-model.test.ts
compares the library with. Run it again only when the model itself is meant to change:

    python3 scripts/runtime-model-reference.py
"""
import json
import math
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RIDGE = 1e-3
REFERENCE_FAMILY = "g5"
# GPUs per instance, from AWS's instance pages (T4, A10G, V100, A100).
GPUS = {
    "ml.g4dn.12xlarge": 4,
    "ml.g5.2xlarge": 1,
    "ml.g5.12xlarge": 4,
    "ml.g5.24xlarge": 4,
    "ml.g5.48xlarge": 8,
    "ml.g6.12xlarge": 4,
    "ml.p3dn.24xlarge": 8,
    "ml.p4d.24xlarge": 8,
}


def family(instance_type):
    return instance_type.split(".")[1]


def read_rows():
    rows = []
    for line in (ROOT / "test" / "fixtures" / "walkthrough-training-times.txt").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        model, instance, length, batch, int8, fsdp, minutes = line.split()
        rows.append(
            dict(
                model=model,
                instanceType=instance,
                maxInputLength=int(length),
                batch=int(batch),
                int8=int8 == "TRUE",
                fsdp=fsdp == "TRUE",
                minutes=float(minutes),
            )
        )
    return rows


ROWS = read_rows()
MODELS = sorted({r["model"] for r in ROWS})
FAMILIES = sorted({family(r["instanceType"]) for r in ROWS} - {REFERENCE_FAMILY})
# Feature layout: one intercept per model, FSDP, one per non-reference family, then the
# per-technique slopes of log2 GPUs/4, log2 length/1024 and log2 batch/2.
SLOPES = len(MODELS) + 1 + len(FAMILIES)


def features(r, fam):
    gpus = math.log2(GPUS[r["instanceType"]] / 4)
    length = math.log2(r["maxInputLength"] / 1024)
    batch = math.log2(r["batch"] / 2)
    i8, fs = float(r["int8"]), float(r["fsdp"])
    return (
        [1.0 if m == r["model"] else 0.0 for m in MODELS]
        + [fs]
        + [1.0 if f == fam else 0.0 for f in FAMILIES]
        + [gpus * i8, gpus * fs, length * i8, length * fs, batch * i8, batch * fs]
    )


def fit(rows):
    x = np.array([features(r, family(r["instanceType"])) for r in rows])
    y = np.log([r["minutes"] for r in rows])
    return np.linalg.solve(x.T @ x + RIDGE * np.eye(x.shape[1]), x.T @ y)


FULL = fit(ROWS)
LOO = [
    math.log(r["minutes"]) - float(np.dot(features(r, family(r["instanceType"])), fit(ROWS[:i] + ROWS[i + 1 :])))
    for i, r in enumerate(ROWS)
]


def span(fsdp, value):
    values = [value(r) for r in ROWS if r["fsdp"] == fsdp]
    return min(values), max(values)


def predict(probe):
    fam = family(probe["instanceType"])
    measured_family = fam == REFERENCE_FAMILY or fam in FAMILIES
    exact = [
        r
        for r in ROWS
        if all(r[k] == probe[k] for k in ("model", "instanceType", "maxInputLength", "batch", "int8", "fsdp"))
    ]
    minutes = (
        exact[0]["minutes"]
        if exact
        else math.exp(float(np.dot(features(probe, fam if measured_family else REFERENCE_FAMILY), FULL)))
    )
    widen, far = 0.0, []
    if not measured_family:
        widen += max(abs(FULL[len(MODELS) + 1 + i]) for i in range(len(FAMILIES)))
        far.append("GPU type")
    settings = [
        ("GPU count", lambda r: GPUS[r["instanceType"]], 0),
        ("max_input_length", lambda r: r["maxInputLength"], 2),
        ("batch size", lambda r: r["batch"], 4),
    ]
    for name, value, offset in settings:
        low, high = span(probe["fsdp"], value)
        v = value(probe)
        distance = math.log2(low / v) if v < low else math.log2(v / high) if v > high else 0.0
        if distance > 0:
            widen += distance * abs(FULL[SLOPES + offset + int(probe["fsdp"])])
            far.append(name)
    low = min(LOO) - widen
    high = max(LOO) + widen
    return dict(
        minutes=minutes,
        lowMinutes=minutes * math.exp(min(0.0, low)),
        highMinutes=minutes * math.exp(max(0.0, high)),
        measured=bool(exact),
        far=far,
    )


def probe(model, instance, length, batch, technique):
    return dict(
        model=f"meta-textgeneration-llama-3-{model}",
        instanceType=instance,
        maxInputLength=length,
        batch=batch,
        int8=technique == "int8",
        fsdp=technique == "fsdp",
    )


PROBES = [
    probe("8b", "ml.g5.12xlarge", 2048, 2, "fsdp"),  # a measured row
    probe("8b", "ml.g5.12xlarge", 1024, 8, "fsdp"),  # within the measured spans, not measured
    probe("8b", "ml.g5.48xlarge", 2048, 8, "int8"),
    probe("8b", "ml.g4dn.12xlarge", 2048, 4, "fsdp"),  # T4s, with FSDP measured at 1024 only
    probe("8b", "ml.p3dn.24xlarge", 1024, 4, "int8"),
    probe("8b", "ml.g5.12xlarge", 512, 2, "fsdp"),  # shorter than any measured input
    probe("8b", "ml.g5.12xlarge", 8192, 16, "int8"),  # longer inputs and larger batches
    probe("8b", "ml.g5.12xlarge", 1024, 1, "fsdp"),  # JumpStart's default batch of 1
    probe("8b", "ml.g5.2xlarge", 1024, 2, "int8"),  # one GPU
    probe("8b", "ml.g6.12xlarge", 1024, 2, "fsdp"),  # L4s: never measured
    probe("70b", "ml.p4d.24xlarge", 1024, 1, "int8"),  # A100s: never measured
    probe("70b", "ml.g5.48xlarge", 4096, 2, "int8"),
]

reference = dict(
    generatedBy="scripts/runtime-model-reference.py",
    leaveOneOut=[
        dict(
            model=r["model"],
            instanceType=r["instanceType"],
            maxInputLength=r["maxInputLength"],
            batch=r["batch"],
            int8=r["int8"],
            fsdp=r["fsdp"],
            error=math.exp(-loo) - 1,
        )
        for r, loo in zip(ROWS, LOO)
    ],
    probes=[dict(**p, **predict(p)) for p in PROBES],
)
(ROOT / "test" / "fixtures" / "runtime-model-reference.json").write_text(json.dumps(reference, indent=2) + "\n")
