package frugal.distill;

import ai.djl.ndarray.NDManager;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;
import java.util.function.Supplier;

/** Small Fashion-MNIST subsets and briefly trained teachers shared by the tests of this package. */
final class DistillFixtures {
    private DistillFixtures() {}

    /** 60 training images per class and 50 test images per class. */
    static ImageSet train() {
        return Holder.TRAIN;
    }

    static ImageSet test() {
        return Holder.TEST;
    }

    /** A ConvNet-D2W8 trained 40 steps of 64 images (no cache). */
    static Teacher teacher(Architecture architecture, NDManager manager) {
        return Squeeze.teacher(architecture, train(), test(), new Squeeze.Config(40, 64, 3e-3, 5e-4, 1),
                TeacherCache.disabled(), manager);
    }

    /**
     * Runs {@code work} in a new thread, where PyTorch's grad mode starts on (as in a notebook cell run by
     * another thread than the one that started the engine), and returns its result or rethrows its failure.
     */
    static <T> T inFreshThread(Supplier<T> work) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                result[0] = work.get();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure[0] != null) {
            throw new AssertionError("failed in a fresh thread: " + failure[0], failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static final class Holder {
        static final ImageSet TRAIN = FashionMnist.load().train().subsetPerClass(60, 1);
        static final ImageSet TEST = FashionMnist.load().test().subsetPerClass(50, 2);
    }
}
