package frugal.distill;

import ai.djl.ndarray.NDManager;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;

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

    private static final class Holder {
        static final ImageSet TRAIN = FashionMnist.load().train().subsetPerClass(60, 1);
        static final ImageSet TEST = FashionMnist.load().test().subsetPerClass(50, 2);
    }
}
