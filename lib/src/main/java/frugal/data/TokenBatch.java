package frugal.data;

import ai.djl.ndarray.NDArray;

/**
 * Windows of a token stream for next-token prediction: {@code target[b][t]} is the token that
 * follows {@code input[b][t]}.
 *
 * @param input int64 {@code B x T}
 * @param target int64 {@code B x T}, the input shifted one token ahead
 */
public record TokenBatch(NDArray input, NDArray target) {}
