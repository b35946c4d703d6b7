#!/usr/bin/env python3
"""Fits the map from YuNet's boxes to the Haar cascade's squares on the same faces.

Usage: run `smile annotate` twice over the same photos, once with each detector:

    smile annotate PHOTOS... --detector yunet --csv yunet.csv
    smile annotate PHOTOS... --detector haar --csv haar.csv
    bench/fit-yunet-box.py haar.csv yunet.csv

The YuNet boxes in the table are already mapped by the map in the source; this undoes it (reading
the numbers from `Sources/SmileKit/Detection/FaceDetector+YuNet.swift`) to get YuNet's width and
centre back. Faces are paired one to one where the boxes overlap at IoU >= 0.4; the map is the
median, over the pairs, of the Haar square's centre offset and side in units of YuNet's width. It
prints the three numbers for `FaceDetector.yunetToHaar`, how well the mapped boxes then match, and
how often the two detectors' crops of one face get the same verdict.
"""
import csv
import os
import re
import statistics
import sys

SOURCE = os.path.join(os.path.dirname(__file__), "..", "Sources", "SmileKit", "Detection", "FaceDetector+YuNet.swift")


def current_map():
    text = open(SOURCE).read()
    m = re.search(r"yunetToHaar = \(dx: ([-0-9.]+), dy: ([-0-9.]+), side: ([-0-9.]+)\)", text)
    return tuple(float(v) for v in m.groups())


def boxes(path, unmap=None):
    """Boxes (x, y, w, h) and verdicts per image; with `unmap` (dx, dy, side), YuNet's square before the map."""
    by_image = {}
    for row in csv.DictReader(open(path)):
        if row["face"] == "":
            continue
        x, y, w, h = (int(row[k]) for k in ("x", "y", "w", "h"))
        if unmap:
            dx, dy, side = unmap
            width = w / side
            cx, cy = x + w / 2 - dx * width, y + h / 2 - dy * width
            x, y, w, h = cx - width / 2, cy - width / 2, width, width
        by_image.setdefault(row["image"], []).append((x, y, w, h, row["smiling"]))
    return by_image


def iou(a, b):
    ax, ay, aw, ah = a[:4]
    bx, by, bw, bh = b[:4]
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / (aw * ah + bw * bh - inter)


def pairs(haar, yunet, threshold):
    for image, hs in haar.items():
        ys = list(yunet.get(image, []))
        for h in hs:
            best = max(ys, key=lambda y: iou(h, y), default=None)
            if best is not None and iou(h, best) >= threshold:
                ys.remove(best)
                yield h, best


def main():
    haar, yunet = boxes(sys.argv[1]), boxes(sys.argv[2], unmap=current_map())
    matched = list(pairs(haar, yunet, 0.4))
    same = sum(h[4] == y[4] for h, y in matched)
    print(f"same verdict from both detectors' crops (with the map in the source): {same} of {len(matched)} ({same / len(matched):.3f})")
    dx = statistics.median((h[0] + h[2] / 2 - (y[0] + y[2] / 2)) / y[2] for h, y in matched)
    dy = statistics.median((h[1] + h[3] / 2 - (y[1] + y[3] / 2)) / y[2] for h, y in matched)
    side = statistics.median(h[2] / y[2] for h, y in matched)
    print(f"{len(matched)} faces found by both")
    print(f"yunetToHaar = (dx: {dx:.3f}, dy: {dy:.3f}, side: {side:.3f})")
    mapped = []
    for h, y in matched:
        s = side * y[2]
        cx, cy = y[0] + y[2] / 2 + dx * y[2], y[1] + y[3] / 2 + dy * y[2]
        mapped.append(iou(h, (cx - s / 2, cy - s / 2, s, s)))
    print(f"IoU of mapped YuNet boxes with the Haar boxes: median {statistics.median(mapped):.3f}, "
          f"at least 0.8 for {sum(m >= 0.8 for m in mapped)} of {len(mapped)}")


if __name__ == "__main__":
    main()
