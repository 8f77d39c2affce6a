package frugal.core;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * PyTorch's autograd recording is a per-thread flag, on by default in a fresh thread; DJL switches it off
 * only in the thread that started the engine. A notebook runs cells in other threads, where in-place writes
 * into trainable arrays (AdamW's decay, a pixel clamp, copying weights) then fail with "a leaf Variable that
 * requires grad is being used in an in-place operation". Training entry points switch recording off;
 * gradient collectors switch it on for their own scope and restore it.
 */
public final class GradMode {
    private GradMode() {}

    /** Switches recording off for the calling thread. */
    public static void offInThisThread() {
        Engines.pytorch();
        JniUtils.setGradMode(false);
    }

    /** Runs {@code work} with recording off, restoring the thread's previous mode after. */
    public static <T> T noGrad(Supplier<T> work) {
        Engines.pytorch();
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** As {@link #noGrad(Supplier)}, for work without a result. */
    public static void noGrad(Runnable work) {
        noGrad(() -> {
            work.run();
            return null;
        });
    }
}
