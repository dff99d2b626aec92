#!/usr/bin/env python3
"""Writes TensorBoard event-file fixtures by a path independent of Trainmap's reader.

Python's struct module, a CRC-32C written here from its definition (checked against Debian's python3-crcmod when it is
installed) and a protobuf encoder written here by hand from the wire format; no code of src/io is used. The field
numbers are those of TensorBoard's protos (event.proto, summary.proto, tensor.proto, types.proto in
tensorflow/tensorboard, tensorboard/compat/proto/).

From tests/fixtures/authors-format.csv (six synthetic runs, see scripts/make-import-fixtures.ts) it writes

  tests/fixtures/tfevents-format/seed<r>/events.out.tfevents.*   one folder per run, as TensorBoard lays them out
  tests/fixtures/tfevents-format.csv                             the same values in Trainmap's long CSV format

with each run stored a different way, as different writers store scalars:

  seed0, seed1  simple_value, one Event per scalar (PyTorch's and tensorboardX's SummaryWriter)
  seed2         TF2 scalar tensor, DT_FLOAT in float_val, plugin "scalars" metadata on each tag's first value
  seed3         TF2 scalar tensor, DT_FLOAT in tensor_content (what TensorFlow's C++ summary writer does)
  seed4         DT_DOUBLE in double_val, all tags of a step in one Event
  seed5         DT_DOUBLE in tensor_content, split over two files in the run's folder (steps < 25, then the rest)

The accuracies are logged as train_accuracy and eval_accuracy, names the reader maps to ours. Float32 values are rounded as float32 in the long CSV too (written as the shortest decimal of that double), so the
expected bundle is exact. And the damaged inputs, each named for what is wrong:

  tests/fixtures/tfevents-damaged/bad-data-crc/events.out.tfevents.1      a flipped byte in record 3's data
  tests/fixtures/tfevents-damaged/bad-length-crc/events.out.tfevents.1    a flipped byte in record 3's length
  tests/fixtures/tfevents-damaged/truncated/events.out.tfevents.1         cut in the middle of the last record

Run from the repository root:  python3 scripts/make_tfevents_fixtures.py
"""

import csv
import os
import shutil
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")

# ---- CRC-32C (Castagnoli), bit by bit from the reflected polynomial --------------------------------------------------
_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    _TABLE.append(c)


def crc32c(data: bytes) -> int:
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data: bytes) -> int:
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the check value of CRC-32C
try:
    import crcmod.predefined

    assert crcmod.predefined.mkCrcFun("crc-32c")(b"trainmap") == crc32c(b"trainmap")
except ImportError:
    pass


def record(data: bytes) -> bytes:
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked(length)) + data + struct.pack("<I", masked(data))


# ---- protobuf wire format ------------------------------------------------------------------------------------------
def varint(n: int) -> bytes:
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint((field << 3) | wire)


def f_varint(field: int, n: int) -> bytes:
    return key(field, 0) + varint(n)


def f_double(field: int, x: float) -> bytes:
    return key(field, 1) + struct.pack("<d", x)


def f_float(field: int, x: float) -> bytes:
    return key(field, 5) + struct.pack("<f", x)


def f_bytes(field: int, b: bytes) -> bytes:
    return key(field, 2) + varint(len(b)) + b


DT_FLOAT, DT_DOUBLE = 1, 2


def event(wall_time: float, step: int, summary: bytes = None, file_version: str = None) -> bytes:
    out = f_double(1, wall_time) + f_varint(2, step)
    if file_version is not None:
        out += f_bytes(3, file_version.encode())
    if summary is not None:
        out += f_bytes(5, summary)
    return out


def scalars_metadata() -> bytes:
    # SummaryMetadata{plugin_data{plugin_name: "scalars"}, data_class: DATA_CLASS_SCALAR}
    return f_bytes(1, f_bytes(1, b"scalars")) + f_varint(4, 1)


def tensor(dtype: int, x: float, content: bool) -> bytes:
    out = f_varint(1, dtype) + f_bytes(2, b"")  # a rank-0 shape: TensorShapeProto with no dims
    fmt = "<f" if dtype == DT_FLOAT else "<d"
    if content:
        return out + f_bytes(4, struct.pack(fmt, x))
    packed = struct.pack(fmt, x)
    return out + f_bytes(5 if dtype == DT_FLOAT else 6, packed)


def value(tag: str, how: str, x: float, first: bool) -> bytes:
    out = f_bytes(1, tag.encode())
    if how == "simple":
        return out + f_float(2, x)
    if first:
        out += f_bytes(9, scalars_metadata())
    dtype, content = {
        "float_val": (DT_FLOAT, False),
        "float_content": (DT_FLOAT, True),
        "double_val": (DT_DOUBLE, False),
        "double_content": (DT_DOUBLE, True),
    }[how]
    return out + f_bytes(8, tensor(dtype, x, content))


def f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


# ---- the runs ------------------------------------------------------------------------------------------------------
def read_long(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = [c for c in rows[0].keys() if c not in ("run", "step")]
    runs = {}
    for r in rows:
        runs.setdefault(r["run"], []).append(r)
    return columns, runs


# The accuracies are logged under the authors' names (their pipeline writes them so): the reader renames them to ours.
TAG = {"train_acc": "train_accuracy", "eval_acc": "eval_accuracy"}

HOW = {
    "seed0": ("simple", False),
    "seed1": ("simple", False),
    "seed2": ("float_val", False),
    "seed3": ("float_content", False),
    "seed4": ("double_val", True),
    "seed5": ("double_content", True),
}


def write_run(folder, run, rows, columns, how, together):
    os.makedirs(folder, exist_ok=True)
    t0 = 1_700_000_000.0 + 1000 * int(run[-1])
    files = [rows] if run != "seed5" else [rows[:25], rows[25:]]
    for k, part in enumerate(files):
        seen = set()  # a writer sends a tag's metadata with its first value in each file
        out = bytearray(record(event(t0 + 1000 * k, 0, file_version="brain.Event:2")))
        for i, r in enumerate(part):
            step = int(r["step"])
            values = []
            for c in columns:
                values.append(value(TAG.get(c, c), how, float(r[c]), c not in seen))
                seen.add(c)
            wall = t0 + 1000 * k + i
            if together:
                out += record(event(wall, step, summary=b"".join(f_bytes(1, v) for v in values)))
            else:
                for v in values:
                    out += record(event(wall, step, summary=f_bytes(1, v)))
        name = f"events.out.tfevents.{int(t0) + 1000 * k}.fixture-writer.{k}"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(out)


def main():
    columns, runs = read_long(os.path.join(ROOT, "authors-format.csv"))
    target = os.path.join(ROOT, "tfevents-format")
    shutil.rmtree(target, ignore_errors=True)
    expected = [["run", "step"] + columns]
    for run, rows in runs.items():
        how, together = HOW[run]
        write_run(os.path.join(target, run), run, rows, columns, how, together)
        for r in rows:
            xs = [float(r[c]) for c in columns]
            if how in ("simple", "float_val", "float_content"):
                xs = [f32(x) for x in xs]
            expected.append([run, r["step"]] + [repr(x) for x in xs])
    with open(os.path.join(ROOT, "tfevents-format.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(expected)

    damaged = os.path.join(ROOT, "tfevents-damaged")
    shutil.rmtree(damaged, ignore_errors=True)
    recs = [record(event(1_700_000_000.0, 0, file_version="brain.Event:2"))]
    for step in range(5):
        recs.append(record(event(1_700_000_001.0 + step, step, summary=f_bytes(1, value("l2", "simple", 1.0 + step, False)))))
    offsets = [sum(len(r) for r in recs[:i]) for i in range(len(recs))]
    whole = b"".join(recs)

    def write(name, data):
        os.makedirs(os.path.join(damaged, name), exist_ok=True)
        with open(os.path.join(damaged, name, "events.out.tfevents.1"), "wb") as f:
            f.write(data)

    bad = bytearray(whole)
    bad[offsets[3] + 12 + 5] ^= 0x01  # inside record 3's data
    write("bad-data-crc", bytes(bad))
    bad = bytearray(whole)
    bad[offsets[3] + 0] ^= 0x01  # record 3's length
    write("bad-length-crc", bytes(bad))
    write("truncated", whole[: offsets[5] + 20])  # record 5's header and 8 bytes of its data
    with open(os.path.join(damaged, "offsets.txt"), "w") as f:
        f.write("record offsets: " + " ".join(map(str, offsets)) + f"\nfile length: {len(whole)}\n")


if __name__ == "__main__":
    main()
