"""Python peer for scripts/bench ops: the ops of frugal.bench.OpCostBench in PyTorch (Debian python3-torch).

Each op of the d 64 tiny GPT step (batch 16, context 64, d 64, 4 heads, MLP 256, vocab 96) forward and backward
from a ones seed, one thread, the same shapes and leaves requiring gradients as the Java side; prints
    op NAME us=<median of 5 rounds> cpu_us=<same, this thread's CPU>
and last a line naming the BLAS the process mapped (tiny_gpt_step.blas), which the matrix products depend on:
    peer blas=<library>
"""
import argparse
import time

import torch
import torch.nn.functional as F

from tiny_gpt_step import blas


def leaf(*shape):
    return torch.randn(*shape, requires_grad=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    calls = parser.parse_args().calls
    torch.set_num_threads(1)
    torch.manual_seed(1)
    x, hidden = leaf(16, 64, 64), leaf(16, 64, 256)
    gamma, beta = leaf(64), leaf(64)
    up, up_bias = leaf(256, 64), leaf(256)
    q, k_t, scores = leaf(16, 4, 64, 16), leaf(16, 4, 16, 64), leaf(16, 4, 64, 64)
    logits, targets = leaf(16, 64, 96), torch.randint(0, 96, (16, 64))
    one = leaf(1)
    ops = {
        "add_1_element": lambda: one + one,
        "add_residual": lambda: x + x,
        "layer_norm": lambda: F.layer_norm(x, (64,), gamma, beta, 1e-5),
        "linear_64_256": lambda: F.linear(x, up, up_bias),
        "gelu_256": lambda: F.gelu(hidden),
        "attention_matmul": lambda: q @ k_t,
        "softmax": lambda: scores.softmax(-1),
        # as frugal.nn.TinyGpt.loss: log-softmax, pick the target, average
        "cross_entropy": lambda: -logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).mean(),
    }

    def run(op, n):
        for _ in range(n):
            y = op()
            y.backward(torch.ones_like(y))

    for name, op in ops.items():
        run(op, calls)  # warm-up, as long as the Java side's (which needs it for its JIT)
        wall, cpu = [], []
        for _ in range(5):
            c0, t0 = time.thread_time(), time.perf_counter()
            run(op, calls)
            wall.append((time.perf_counter() - t0) / calls * 1e6)
            cpu.append((time.thread_time() - c0) / calls * 1e6)
        print(f"op {name} us={sorted(wall)[2]:.1f} cpu_us={sorted(cpu)[2]:.1f}")
    print(f"peer blas={blas()}")


if __name__ == "__main__":
    main()
