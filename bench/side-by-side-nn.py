#!/usr/bin/env python3
"""Times Keras VGG19(include_top=False, weights=None) inference on one thread, for `bench/side-by-side-nn.sh`.

    python bench/side-by-side-nn.py [--sizes 64x64,218x178] [--batches 1,32] [--repeats 10] [--warmup 2]
                                    [--clock wall|cpu] [--csv out.csv]

Prints a table and (with --csv) writes input,batch,threads,median_ms,min_ms,median_ms_per_image,min_ms_per_image
with input written as CxHxW (3x64x64), the key `smile-bench nn` uses.
"""
import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="64x64,218x178", help="HxW list")
    parser.add_argument("--batches", default="1,32")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="wall: elapsed time; cpu: process CPU time (steadier on a busy machine)")
    parser.add_argument("--csv")
    args = parser.parse_args()
    now = time.perf_counter if args.clock == "wall" else time.process_time
    sizes = [tuple(int(v) for v in s.lower().split("x")) for s in args.sizes.split(",")]
    batches = [int(b) for b in args.batches.split(",")]

    print(f"tensorflow {tf.__version__}, oneDNN {os.environ.get('TF_ENABLE_ONEDNN_OPTS', 'default')}, "
          f"intra-op {tf.config.threading.get_intra_op_parallelism_threads()}, "
          f"inter-op {tf.config.threading.get_inter_op_parallelism_threads()}; {args.clock} times in ms")
    print(f"{'input':10} {'batch':>5} {'median':>9} {'min':>9} {'med/img':>8} {'min/img':>8}")
    rows = []
    for h, w in sizes:
        model = tf.keras.applications.VGG19(include_top=False, weights=None, input_shape=(h, w, 3))
        forward = tf.function(lambda x: model(x, training=False))
        for batch in batches:
            x = tf.constant(np.random.default_rng(7).standard_normal((batch, h, w, 3), dtype=np.float32))
            for _ in range(max(args.warmup, 1)):  # the first call also traces the function
                forward(x).numpy()
            samples = []
            for _ in range(args.repeats):
                start = now()
                forward(x).numpy()
                samples.append((now() - start) * 1e3)
            med, low = statistics.median(samples), min(samples)
            key = f"3x{h}x{w}"
            rows.append((key, batch, 1, med, low, med / batch, low / batch))
            print(f"{key:10} {batch:5d} {med:9.2f} {low:9.2f} {med / batch:8.2f} {low / batch:8.2f}", flush=True)
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("input,batch,threads,median_ms,min_ms,median_ms_per_image,min_ms_per_image\n")
            for r in rows:
                f.write(",".join([r[0], str(r[1]), str(r[2])] + [f"{v:.4f}" for v in r[3:]]) + "\n")


if __name__ == "__main__":
    sys.exit(main())
