package frugal.distill;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode is per thread and on by default; DJL switches it off only in the thread that started
 * the engine. A notebook may run each cell in another thread, where in-place updates of trainable arrays
 * (AdamW's decay, the pixel clamp) then fail with "a leaf Variable that requires grad is being used in an
 * in-place operation". Every entry point that trains calls {@link #offInThisThread()} first; gradient
 * collectors switch it on for their own scope and restore it.
 */
final class GradMode {
    private GradMode() {}

    static void offInThisThread() {
        JniUtils.setGradMode(false);
    }
}
