#!/usr/bin/python3
"""The classic OpenCV smile recipe, timed stage by stage, for the side-by-side with smile.

    /usr/bin/python3 bench/side-by-side-opencv.py --data ../shared/data [--sets groups,portraits,hamilton] [--genki]

The recipe (as in the usual tutorials): grayscale; haarcascade_frontalface_default.xml
detectMultiScale(scaleFactor 1.1, minNeighbors 5); then haarcascade_smile.xml on the lower half
of each face (scaleFactor 1.7, minNeighbors 20); a face is smiling when the smile cascade finds
anything. OpenCV runs on one thread (cv2.setNumThreads(1)).

Each stage is timed as the wall time of the whole stage over the whole set: decode (cv2.imread,
or reading every frame of a video), detect (grayscale + face cascade), smile (smile cascade on
every face). Prints one line per set, machine-readable (key=value), which
bench/side-by-side-opencv.sh turns into the table.

--genki also measures the recipe's smile accuracy on the test side of GENKI-4K as smile's
training split defines it (FNV-1a hash of the file name, 20% test: the images no smile model
was trained or selected on). The largest face decides; a photo with no face found is
left out of "faces found" and counted wrong in "all".
"""
import argparse
import os
import sys
import time

import cv2

CASCADES = "/usr/share/opencv4/haarcascades"
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


def classic_detect(face_cascade, image):
    """Faces of one BGR image, and its gray copy."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return face_cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5), gray


def classic_smile(smile_cascade, gray, face):
    """Whether the smile cascade finds a smile in the lower half of `face`."""
    x, y, w, h = (int(v) for v in face)
    lower = gray[y + h // 2:y + h, x:x + w]
    return len(smile_cascade.detectMultiScale(lower, scaleFactor=1.7, minNeighbors=20)) > 0


def load_set(name, data):
    """Decodes a set: (images, seconds). Photos are read with cv2.imread, a video frame by frame."""
    start = time.perf_counter()
    if name == "hamilton":
        capture = cv2.VideoCapture(os.path.join(data, "video", "hamilton_clip.mp4"))
        images = []
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            images.append(frame)
        capture.release()
    else:
        folder = os.path.join(data, "realworld", name)
        files = sorted(f for f in os.listdir(folder) if f.lower().endswith(IMAGE_EXTENSIONS))
        images = [cv2.imread(os.path.join(folder, f)) for f in files]
        images = [i for i in images if i is not None]
    return images, time.perf_counter() - start


def run_set(name, data, face_cascade, smile_cascade):
    """Times the three stages over one set and prints a key=value line."""
    images, decode_s = load_set(name, data)
    start = time.perf_counter()
    detected = [classic_detect(face_cascade, image) for image in images]
    detect_s = time.perf_counter() - start
    start = time.perf_counter()
    smiling = sum(classic_smile(smile_cascade, gray, face) for faces, gray in detected for face in faces)
    smile_s = time.perf_counter() - start
    faces = sum(len(f) for f, _ in detected)
    print(f"set={name} images={len(images)} faces={faces} smiling={smiling} "
          f"decode_s={decode_s:.4f} detect_s={detect_s:.4f} smile_s={smile_s:.4f}", flush=True)


def fnv1a_position(text):
    """smile's DataSplit: FNV-1a 64-bit of the UTF-8 name, modulo 1,000,000, as a fraction."""
    h = 0xcbf29ce484222325
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return (h % 1_000_000) / 1_000_000


def genki_accuracy(data, face_cascade, smile_cascade):
    """The recipe's accuracy on GENKI-4K's test side; prints a key=value line."""
    folder = os.path.join(data, "genki4k")
    rows = []
    with open(os.path.join(folder, "labels.csv"), encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        file_col, smile_col = header.index("file"), header.index("smile")
        for line in f:
            parts = line.strip().split(",")
            if len(parts) > max(file_col, smile_col) and fnv1a_position(parts[file_col]) < 0.2:
                rows.append((parts[file_col], int(parts[smile_col])))
    found = correct_found = 0
    tp = fp = fn = tn = 0
    start = time.perf_counter()
    for file, label in rows:
        image = cv2.imread(os.path.join(folder, "files", file))
        faces, gray = classic_detect(face_cascade, image) if image is not None else ((), None)
        if len(faces) == 0:
            continue
        found += 1
        largest = max(faces, key=lambda r: int(r[2]) * int(r[3]))
        predicted = int(classic_smile(smile_cascade, gray, largest))
        correct_found += predicted == label
        tp += predicted == 1 and label == 1
        fp += predicted == 1 and label == 0
        fn += predicted == 0 and label == 1
        tn += predicted == 0 and label == 0
    seconds = time.perf_counter() - start
    n = len(rows)
    print(f"set=genki-test images={n} faces_found={found} "
          f"accuracy_found={correct_found / max(1, found):.4f} accuracy_all={correct_found / max(1, n):.4f} "
          f"tp={tp} fn={fn} fp={fp} tn={tn} seconds={seconds:.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.environ.get("SMILE_DATA", "../shared/data"))
    parser.add_argument("--sets", default="groups,portraits,hamilton",
                        help="comma-separated: groups, portraits (realworld/), hamilton (video/hamilton_clip.mp4)")
    parser.add_argument("--genki", action="store_true", help="also the smile accuracy on GENKI-4K's test side")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    face_cascade = cv2.CascadeClassifier(os.path.join(CASCADES, "haarcascade_frontalface_default.xml"))
    smile_cascade = cv2.CascadeClassifier(os.path.join(CASCADES, "haarcascade_smile.xml"))
    if face_cascade.empty() or smile_cascade.empty():
        sys.exit(f"cannot load the cascades from {CASCADES} (apt-get install opencv-data)")
    print(f"opencv={cv2.__version__} threads={cv2.getNumThreads()}", flush=True)
    for name in (s for s in args.sets.split(",") if s):
        run_set(name, args.data, face_cascade, smile_cascade)
    if args.genki:
        genki_accuracy(args.data, face_cascade, smile_cascade)


if __name__ == "__main__":
    main()
