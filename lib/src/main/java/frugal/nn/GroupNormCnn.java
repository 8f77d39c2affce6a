package frugal.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import frugal.core.FrugalException;

/**
 * DomainBed's MNIST_CNN: conv 64 (3x3, pad 1), conv 128 (stride 2), conv 128, conv 128, each followed
 * by ReLU then GroupNorm(8), then a global average pool to 128 features; a linear head on top. The
 * featurizer and head are separate blocks of the returned {@link Classifier}, as LFME needs.
 */
public final class GroupNormCnn {
    /** Length of the feature vector. */
    public static final int FEATURES = 128;
    private static final int GROUPS = 8;

    private GroupNormCnn() {}

    /** Featurizer + linear head for {@code classes} classes. */
    public static Classifier build(int inChannels, int classes) {
        if (classes <= 0) {
            throw new FrugalException("GroupNormCnn needs classes > 0, got " + classes);
        }
        return new Classifier(featurizer(inChannels), head(classes));
    }

    /** Images N x inChannels x H x W to features N x 128. */
    public static Block featurizer(int inChannels) {
        return featurizer(inChannels, FEATURES);
    }

    /**
     * The same network at another width, for CPU budgets: conv {@code width/2}, then three convs of
     * {@code width}; features N x width. {@code width = 128} is DomainBed's network.
     */
    public static Block featurizer(int inChannels, int width) {
        if (inChannels <= 0) {
            throw new FrugalException("GroupNormCnn needs inChannels > 0, got " + inChannels);
        }
        if (width < 16 || width % 16 != 0) {
            throw new FrugalException("GroupNormCnn width must be a positive multiple of 16 (GroupNorm with 8 groups"
                    + " of the first layer's width / 2 channels), got " + width);
        }
        SequentialBlock f = new SequentialBlock();
        int[] filters = {width / 2, width, width, width};
        int[] strides = {1, 2, 1, 1};
        for (int i = 0; i < filters.length; i++) {
            f.add(Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .optStride(new Shape(strides[i], strides[i]))
                    .setFilters(filters[i])
                    .build());
            f.add(Activation.reluBlock());
            f.add(new GroupNorm(GROUPS));
        }
        f.addSingleton(Pooling::globalAverage, "globalAvgPool");
        return f;
    }

    /** The linear head: features N x 128 to logits N x classes. */
    public static Block head(int classes) {
        return Linear.builder().setUnits(classes).build();
    }
}
