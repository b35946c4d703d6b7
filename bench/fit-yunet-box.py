#!/usr/bin/env python3
"""Fits the map from YuNet's faces to the Haar cascade's squares on the same faces.

Usage: run `smile annotate` twice over the same photos, once with each detector:

    smile annotate PHOTOS... --detector yunet --out yunet --csv yunet.csv
    smile annotate PHOTOS... --detector haar --out haar --csv haar.csv
    bench/fit-yunet-box.py haar.csv yunet.csv

The map (`FaceDetector.yunetToHaar`): the square's centre is the landmarks' centre (halfway between
the eyes' midpoint and the mouth corners' midpoint) shifted by (dx, dy) times YuNet's box width, and
its side is `side` times that width. YuNet's tables give the landmarks and the mapped side, from
which the width comes back by the side factor in the source
(`Sources/SmileKit/Detection/FaceDetector+YuNet.swift`). Faces are paired one to one where the
boxes overlap at IoU >= 0.4; each number is the median over the pairs. It prints the map, how well
mapped boxes match the Haar boxes, and how often the two detectors' crops of one face (as written,
with the map in the source) get the same verdict.
"""
import csv
import math
import os
import re
import statistics
import sys

SOURCE = os.path.join(os.path.dirname(__file__), "..", "Sources", "SmileKit", "Detection", "FaceDetector+YuNet.swift")
MARKS = ["right_eye_x", "right_eye_y", "left_eye_x", "left_eye_y", "nose_x", "nose_y",
         "mouth_right_x", "mouth_right_y", "mouth_left_x", "mouth_left_y"]


def side_factor():
    m = re.search(r"yunetToHaar = \(dx: ([-0-9.]+), dy: ([-0-9.]+), side: ([-0-9.]+)\)", open(SOURCE).read())
    return float(m.group(3))


def faces(path):
    by_image = {}
    for row in csv.DictReader(open(path)):
        if row["face"] != "":
            by_image.setdefault(row["image"], []).append(row)
    return by_image


def box(row):
    return tuple(float(row[k]) for k in ("x", "y", "w", "h"))


def iou(a, b):
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / (a[2] * a[3] + b[2] * b[3] - w * h)


def pairs(haar, yunet):
    for image, hs in haar.items():
        ys = list(yunet.get(image, []))
        for h in hs:
            best = max(ys, key=lambda y: iou(box(h), box(y)), default=None)
            if best is not None and iou(box(h), box(best)) >= 0.4:
                ys.remove(best)
                yield h, best


def landmark_centre(row):
    p = [float(row[k]) for k in MARKS]
    return ((p[0] + p[2]) / 2 + (p[6] + p[8]) / 2) / 2, ((p[1] + p[3]) / 2 + (p[7] + p[9]) / 2) / 2


def main():
    haar, yunet = faces(sys.argv[1]), faces(sys.argv[2])
    if "right_eye_x" not in next(iter(yunet.values()))[0]:
        sys.exit(f"{sys.argv[2]}: no landmark columns: run smile annotate with --detector yunet")
    matched = list(pairs(haar, yunet))
    same = sum(h["smiling"] == y["smiling"] for h, y in matched)
    print(f"{len(matched)} faces found by both; same verdict from both detectors' crops: {same} ({same / len(matched):.3f})")
    k = side_factor()
    rows = []
    for h, y in matched:
        width = float(y["w"]) / k
        cx, cy = landmark_centre(y)
        hx, hy, hw, _ = box(h)
        rows.append(((hx + hw / 2 - cx) / width, (hy + hw / 2 - cy) / width, hw / width, box(h), cx, cy, width))
    dx, dy, side = (statistics.median(r[i] for r in rows) for i in range(3))
    print(f"yunetToHaar = (dx: {dx:.3f}, dy: {dy:.3f}, side: {side:.3f})")
    fits = [iou(r[3], (r[4] + dx * r[6] - side * r[6] / 2, r[5] + dy * r[6] - side * r[6] / 2, side * r[6], side * r[6])) for r in rows]
    print(f"IoU of mapped YuNet faces with the Haar boxes: median {statistics.median(fits):.3f}, "
          f"at least 0.8 for {sum(f >= 0.8 for f in fits)} of {len(fits)}")


if __name__ == "__main__":
    main()
