package frugal.power;

import ai.djl.pytorch.jni.JniUtils;
import frugal.core.Engines;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with one PyTorch thread, as in a sweep worker, and restores the count afterwards for the
 * other classes. These steps are tiny: on a busy machine a second spinning OpenMP thread made such a class ~30x
 * slower (23 s instead of 0.7 s for one test).
 */
final class OneTorchThread implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OneTorchThread.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Engines.pytorch();
        context.getStore(NS).put("threads", JniUtils.getNumThreads());
        JniUtils.setNumThreads(1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        JniUtils.setNumThreads(context.getStore(NS).get("threads", Integer.class));
    }
}
