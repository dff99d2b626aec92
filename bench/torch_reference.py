#!/usr/bin/env python3
"""PyTorch reference for the training-throughput comparison (bench/engineCpu.ts runs it; never a test dependency).

The modular-addition transformer of tasks/modular-addition/model.ts, S seeds stacked as [S, ...] parameters, batched
matrix products (torch.bmm), full-batch AdamW (PyTorch's own), on the CPU with a given number of threads. The same
arithmetic as ours: token and position embeddings, keys and values at the three positions, the query, attention,
MLP and logits at the last position only, a log-softmax cross-entropy. Inputs are random token pairs of the preset's
split size (timing does not depend on which pairs).

Prints one JSON object: {"available": true, "torch": version, "threads", "seeds", "steps", "seconds",
"seed_steps_per_s", "cpu_seconds"} or {"available": false, "why": ...} when torch cannot be imported.
Usage: python3 bench/torch_reference.py --seeds 8 --threads 1 --steps 10 [--preset quick|paper]
"""
import argparse
import json
import math
import sys
import time

PRESETS = {
    # p, d_model, heads, d_head, d_mlp, train fraction, batch, lr, weight decay
    "quick": dict(p=59, d=64, h=4, dh=16, m=256, frac=0.4, batch=1392, lr=5e-3, wd=2.0),
    "paper": dict(p=113, d=128, h=4, dh=32, m=512, frac=0.3, batch=2048, lr=1e-3, wd=1.0),
}


def blas_library() -> str:
    """The BLAS this process loaded (Debian's torch uses the system's: reference BLAS is ~4x slower than OpenBLAS)."""
    try:
        with open("/proc/self/maps", encoding="utf8") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and line.rstrip().endswith(".so.0") or "libblas" in line}
        return ", ".join(sorted(libs)) or "unknown"
    except OSError:
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="quick")
    args = ap.parse_args()
    try:
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure means "not available"
        print(json.dumps({"available": False, "why": f"torch cannot be imported: {e}"}))
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    c = PRESETS[args.preset]
    S, p, d, h, dh, m = args.seeds, c["p"], c["d"], c["h"], c["dh"], c["m"]
    vocab = p + 1
    n_train = int(math.floor(c["frac"] * p * p))
    batch = min(c["batch"], n_train)

    def normal(*shape, std):
        return (torch.randn(S, *shape) * std).requires_grad_()

    params = {
        "W_E": normal(vocab, d, std=1 / math.sqrt(d)),
        "W_pos": normal(3, d, std=1 / math.sqrt(d)),
        "W_Q": normal(h * dh, d, std=1 / math.sqrt(d)),
        "W_K": normal(h * dh, d, std=1 / math.sqrt(d)),
        "W_V": normal(h * dh, d, std=1 / math.sqrt(d)),
        "W_O": normal(d, h * dh, std=1 / math.sqrt(d)),
        "W_in": normal(m, d, std=1 / math.sqrt(d)),
        "b_in": torch.zeros(S, m, requires_grad=True),
        "W_out": normal(d, m, std=1 / math.sqrt(d)),
        "b_out": torch.zeros(S, d, requires_grad=True),
        "W_U": normal(d, p, std=1 / math.sqrt(vocab)),
    }
    opt = torch.optim.AdamW(params.values(), lr=c["lr"], betas=(0.9, 0.98), eps=1e-8, weight_decay=c["wd"])
    pairs = torch.randint(0, p, (S, batch, 2))
    x = torch.cat([pairs, torch.full((S, batch, 1), p)], dim=2)  # [S, B, 3]
    y = (pairs[..., 0] + pairs[..., 1]) % p  # [S, B]
    seed_index = torch.arange(S)[:, None, None]

    def loss_fn() -> "torch.Tensor":
        w = params
        resid = w["W_E"][seed_index, x] + w["W_pos"][:, None]  # [S, B, 3, d]
        flat = resid.reshape(S, batch * 3, d)
        keys = torch.bmm(flat, w["W_K"].transpose(1, 2)).reshape(S, batch, 3, h, dh)
        values = torch.bmm(flat, w["W_V"].transpose(1, 2)).reshape(S, batch, 3, h, dh)
        last = resid[:, :, 2]  # [S, B, d]
        q = torch.bmm(last, w["W_Q"].transpose(1, 2)).reshape(S, batch, 1, h, dh)
        scores = (q * keys).sum(-1) / math.sqrt(dh)  # [S, B, 3, H]
        attn = torch.softmax(scores, dim=2)
        z = (attn[..., None] * values).sum(2).reshape(S, batch, h * dh)
        xr = last + torch.bmm(z, w["W_O"].transpose(1, 2))
        hidden = torch.relu(torch.bmm(xr, w["W_in"].transpose(1, 2)) + w["b_in"][:, None])
        out = xr + torch.bmm(hidden, w["W_out"].transpose(1, 2)) + w["b_out"][:, None]
        logits = torch.bmm(out, w["W_U"])  # [S, B, p]
        logp = torch.log_softmax(logits, dim=-1)
        per_seed = -logp.gather(-1, y[..., None]).squeeze(-1).mean(1)
        return per_seed.sum()

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss_fn().backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    c0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(
        json.dumps(
            {
                "available": True,
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "preset": args.preset,
                "seeds": S,
                "batch": batch,
                "steps": args.steps,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "seed_steps_per_s": S * args.steps / seconds,
                "blas": blas_library(),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
