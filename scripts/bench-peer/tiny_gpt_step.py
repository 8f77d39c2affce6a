"""Python peer for scripts/bench: the same tiny GPT training step in PyTorch (Debian python3-torch).

Same architecture as frugal.nn.TinyGpt (pre-norm blocks, fused qkv, causal attention, 4x GELU MLP,
untied head), same AdamW, same batch shape; prints one line per measured block of steps:
    peer ms_per_step=<float> steps=<n> torch=<version> blas=<library> cpu=<capability>
The BLAS is the library the process really mapped (Debian's torch reports BLAS_INFO=generic and takes whatever
libblas.so.3 the alternatives system points at), so a run on the reference BLAS shows as blas=reference.
"""
import argparse
import ctypes
import math
import os
import re
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, ctx):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.up = nn.Linear(d, 4 * d)
        self.down = nn.Linear(4 * d, d)
        mask = torch.full((ctx, ctx), float("-inf")).triu(1)
        self.register_buffer("mask", mask)

    def forward(self, x):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q = q.view(b, t, h, d // h).transpose(1, 2)
        k = k.view(b, t, h, d // h).transpose(1, 2)
        v = v.view(b, t, h, d // h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // h)) + self.mask[:t, :t]
        y = att.softmax(dim=-1) @ v
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.down(F.gelu(self.up(self.ln2(x))))


class TinyGpt(nn.Module):
    def __init__(self, vocab, ctx, layers, d, heads):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList([Block(d, heads, ctx) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(t))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln(x))


def blas():
    """The BLAS this process runs on: OpenBLAS (with its config), MKL, or the reference implementation."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line or "mkl" in line}
    for path in sorted(paths):
        name = os.path.basename(path)
        if "openblas" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                config = lib.openblas_get_config().decode().replace(" ", ",")
                return f"OpenBLAS({config},threads={lib.openblas_get_num_threads()})"
            except (OSError, AttributeError):
                return "OpenBLAS(" + path + ")"
        if "mkl" in name:
            return "MKL(" + path + ")"
    refs = [p for p in paths if re.search(r"/blas/libblas\.so", p)]
    return "reference(" + refs[0] + ")" if refs else "unknown(" + ",".join(sorted(paths)) + ")"


def cpu_capability():
    m = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vocab", type=int, default=96)
    p.add_argument("--ctx", type=int, default=128)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--d", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--profile", type=int, default=0, help="after timing, this many steps under torch's profiler")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = TinyGpt(a.vocab, a.ctx, a.layers, a.d, a.heads)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, betas=(0.9, 0.95), weight_decay=0.1)
    g = torch.Generator().manual_seed(1)

    def step():
        x = torch.randint(0, a.vocab, (a.batch, a.ctx), generator=g)
        y = torch.randint(0, a.vocab, (a.batch, a.ctx), generator=g)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, a.vocab), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    cpu_ms = (time.process_time() - c0) * 1000 / a.steps
    print(f"peer ms_per_step={ms:.3f} cpu_ms_per_step={cpu_ms:.3f} steps={a.steps} torch={torch.__version__} threads={torch.get_num_threads()}"
          f" blas={blas()} cpu={cpu_capability()}")
    if a.profile > 0:
        profile(step, a.profile)


def profile(step, steps):
    """Op counts and time inside top-level ops per step, as frugal.bench.TinyGptStepProfile prints them."""
    from torch.autograd import profiler
    t0 = time.perf_counter()
    with profiler.profile() as prof:
        for _ in range(steps):
            step()
    wall = (time.perf_counter() - t0) * 1000 / steps
    events = prof.function_events
    top = [e for e in events if e.cpu_parent is None]
    inside = sum(e.cpu_time_total for e in top) / 1000 / steps
    print(f"torch profiler ({steps} steps, {wall:.3f} ms/step under the profiler): {len(events) / steps:.0f} ops per step"
          f" ({len(top) / steps:.0f} top-level), {inside:.3f} ms/step inside top-level ops, {wall - inside:.3f} ms/step"
          f" ({100 * (wall - inside) / wall:.1f}%) outside them (Python)")
    totals = {}
    for e in top:
        c = totals.setdefault(e.name, [0, 0.0])
        c[0] += 1
        c[1] += e.cpu_time_total
    for name, (n, us) in sorted(totals.items(), key=lambda kv: -kv[1][1])[:25]:
        print(f"  {name:50s} {n / steps:6.1f} per step {us / 1000 / steps:8.3f} ms/step")


if __name__ == "__main__":
    main()
