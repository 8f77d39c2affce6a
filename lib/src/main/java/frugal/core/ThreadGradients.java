package frugal.core;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * A gradient collector for the calling thread only. DJL's PyTorch collector allows one at a time in the whole
 * process (a static flag), although what it switches, autograd recording, is PyTorch's per-thread mode; so two
 * trainings side by side ({@link OneThreadEach}) could not both collect. This one does what DJL's does
 * (recording on for its scope, backward from a ones seed, the previous mode restored on close) without the
 * process-wide flag. Gradients add up in the parameters' own {@code .grad}, as with DJL's.
 */
public final class ThreadGradients implements GradientCollector {
    private final boolean wasRecording;

    private ThreadGradients() {
        wasRecording = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Starts recording in this thread until {@link #close()}. */
    public static ThreadGradients collect() {
        Engines.pytorch();
        return new ThreadGradients();
    }

    @Override
    public void backward(NDArray target) {
        try (NDArray seed = target.getManager().ones(target.getShape(), target.getDataType())) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
        }
    }

    /** Not offered: gradients are zeroed by the optimiser's update, per parameter. */
    @Override
    public void zeroGradients() {
        throw new UnsupportedOperationException("ThreadGradients does not zero gradients; the optimiser does");
    }

    @Override
    public void close() {
        JniUtils.setGradMode(wasRecording);
    }
}
