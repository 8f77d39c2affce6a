package frugal.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import frugal.core.FrugalException;

/**
 * The dataset-distillation "ConvNet-D{depth}W{width}": depth x [conv 3x3 (width channels, padding 1)
 * -> norm -> ReLU -> 2x2 pool], flatten, linear head. With batch norm it serves as SRe2L teacher and
 * as student. Parameter paths: {@code 01featurizer_NNConv2d_weight}, {@code 01featurizer_NNBatchNormLayer_gamma},
 * ..., {@code 02head_weight}, {@code 02head_bias}.
 */
public final class ConvNet {
    private ConvNet() {}

    /** Normalisation after each convolution. */
    public enum Norm {
        BATCH,
        /** Per-sample, per-channel: GroupNorm with one group per channel (the DC/DSA ConvNet default). */
        INSTANCE,
        NONE
    }

    /** Down-sampling after each block: 2x2, stride 2. */
    public enum Pooling {
        AVG,
        MAX
    }

    /**
     * @param inChannels image channels (1 for Fashion-MNIST)
     * @param imageSize height = width of the (square) input
     * @param width convolution channels
     * @param depth number of conv blocks; each halves the image
     * @param classes logits
     */
    public record Config(int inChannels, int imageSize, int width, int depth, int classes, Norm norm, Pooling pooling) {
        public Config {
            if (inChannels <= 0 || width <= 0 || depth <= 0 || classes <= 0) {
                throw new FrugalException("ConvNet.Config needs inChannels, width, depth and classes > 0, got "
                        + inChannels + ", " + width + ", " + depth + ", " + classes);
            }
            if (imageSize >> depth < 1) {
                throw new FrugalException("ConvNet depth " + depth + " halves a " + imageSize + "px image to"
                        + " nothing; use depth <= " + (31 - Integer.numberOfLeadingZeros(Math.max(imageSize, 1))));
            }
            if (norm == null || pooling == null) {
                throw new FrugalException("ConvNet.Config needs a norm and a pooling (e.g. Norm.BATCH, Pooling.AVG)");
            }
        }

        /** Batch norm and average pooling: the BN teacher/student of SRe2L-style distillation. */
        public static Config batchNorm(int inChannels, int imageSize, int classes, int depth, int width) {
            return new Config(inChannels, imageSize, width, depth, classes, Norm.BATCH, Pooling.AVG);
        }

        /** Feature length fed to the head: width x (imageSize / 2^depth)^2. */
        public long featureSize() {
            long side = imageSize >> depth;
            return (long) width * side * side;
        }

        /** "ConvNet-D3W64" and the norm, for tables and legends. */
        public String name() {
            String suffix = switch (norm) {
                case BATCH -> "-BN";
                case INSTANCE -> "-IN";
                case NONE -> "";
            };
            return "ConvNet-D" + depth + "W" + width + suffix;
        }
    }

    /** A fresh, uninitialised network. */
    public static Classifier build(Config c) {
        SequentialBlock features = new SequentialBlock();
        for (int i = 0; i < c.depth(); i++) {
            features.add(Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .setFilters(c.width())
                    .optBias(c.norm() == Norm.NONE)
                    .build());
            switch (c.norm()) {
                case BATCH -> features.add(new BatchNormLayer());
                case INSTANCE -> features.add(new GroupNorm(c.width()));
                case NONE -> { }
            }
            features.add(Activation.reluBlock());
            Shape two = new Shape(2, 2);
            features.add(c.pooling() == Pooling.AVG ? Pool.avgPool2dBlock(two, two) : Pool.maxPool2dBlock(two, two));
        }
        features.add(Blocks.batchFlattenBlock());
        Block head = Linear.builder().setUnits(c.classes()).build();
        return new Classifier(features, head);
    }
}
