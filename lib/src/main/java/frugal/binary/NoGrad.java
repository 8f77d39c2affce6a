package frugal.binary;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs work with PyTorch's autograd recording off, restoring the previous mode after. Recording is a per-thread
 * flag that is on by default in a fresh thread (a notebook cell's, for one), so in-place writes into parameters
 * and teacher forwards must switch it off explicitly.
 */
final class NoGrad {
    private NoGrad() {}

    static <T> T get(Supplier<T> work) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    static void run(Runnable work) {
        get(() -> {
            work.run();
            return null;
        });
    }
}
