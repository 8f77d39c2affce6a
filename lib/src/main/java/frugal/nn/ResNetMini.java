package frugal.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import frugal.core.FrugalException;

/**
 * A small ResNet with batch norm, the second architecture for distillation committees and
 * cross-architecture students: stem conv 3x3 -> BN -> ReLU, then {@code stages} stages of
 * {@code blocksPerStage} basic residual blocks (channels width, 2 width, 4 width, ...; every stage
 * after the first halves the image), global average pool, linear head. BN layers run (and
 * {@link BatchNormLayer#inOrder} lists them) stem first, then per block: main path, then shortcut.
 */
public final class ResNetMini {
    private ResNetMini() {}

    /**
     * @param inChannels image channels
     * @param width channels of the stem and the first stage
     * @param stages number of stages (2 or 3 for 28-32 px images)
     * @param blocksPerStage residual blocks per stage
     * @param classes logits
     */
    public record Config(int inChannels, int width, int stages, int blocksPerStage, int classes) {
        public Config {
            if (inChannels <= 0 || width <= 0 || stages <= 0 || blocksPerStage <= 0 || classes <= 0) {
                throw new FrugalException("ResNetMini.Config needs every field > 0, got inChannels " + inChannels
                        + ", width " + width + ", stages " + stages + ", blocksPerStage " + blocksPerStage
                        + ", classes " + classes);
            }
        }

        /** Feature length fed to the head: the last stage's channels. */
        public long featureSize() {
            return (long) width << (stages - 1);
        }

        public String name() {
            return "ResNetMini-S" + stages + "B" + blocksPerStage + "W" + width;
        }
    }

    /** A fresh, uninitialised network. */
    public static Classifier build(Config c) {
        SequentialBlock features = new SequentialBlock();
        features.add(conv(c.width(), 1));
        features.add(new BatchNormLayer());
        features.add(Activation.reluBlock());
        int channels = c.width();
        for (int s = 0; s < c.stages(); s++) {
            int out = c.width() << s;
            for (int b = 0; b < c.blocksPerStage(); b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                features.add(new ResidualBlock(out, stride, channels != out || stride != 1));
                channels = out;
            }
        }
        features.addSingleton(Pooling::globalAverage, "globalAvgPool");
        return new Classifier(features, Linear.builder().setUnits(c.classes()).build());
    }

    private static Conv2d conv(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride)).setFilters(filters).optBias(false).build();
    }

    /**
     * relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), the shortcut a strided 1x1 conv + BN when
     * the shape changes, else the identity. Children: conv1, bn1, conv2, bn2[, shortcut_conv, shortcut_bn].
     */
    static final class ResidualBlock extends AbstractBlock {
        private final Block conv1;
        private final Block bn1;
        private final Block conv2;
        private final Block bn2;
        private final Block shortcutConv;
        private final Block shortcutBn;

        ResidualBlock(int channels, int stride, boolean projectShortcut) {
            conv1 = addChildBlock("conv1", conv(channels, stride));
            bn1 = addChildBlock("bn1", new BatchNormLayer());
            conv2 = addChildBlock("conv2", conv(channels, 1));
            bn2 = addChildBlock("bn2", new BatchNormLayer());
            if (projectShortcut) {
                shortcutConv = addChildBlock("shortcut_conv", Conv2d.builder().setKernelShape(new Shape(1, 1))
                        .optStride(new Shape(stride, stride)).setFilters(channels).optBias(false).build());
                shortcutBn = addChildBlock("shortcut_bn", new BatchNormLayer());
            } else {
                shortcutConv = null;
                shortcutBn = null;
            }
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList h = conv1.forward(ps, inputs, training, params);
            h = new NDList(Activation.relu(bn1.forward(ps, h, training, params).head()));
            h = bn2.forward(ps, conv2.forward(ps, h, training, params), training, params);
            NDArray shortcut = shortcutConv == null
                    ? inputs.head()
                    : shortcutBn.forward(ps, shortcutConv.forward(ps, inputs, training, params), training, params)
                            .head();
            return new NDList(Activation.relu(h.head().add(shortcut)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            conv1.initialize(manager, dataType, inputShapes);
            Shape[] mid = conv1.getOutputShapes(inputShapes);
            bn1.initialize(manager, dataType, mid);
            conv2.initialize(manager, dataType, mid);
            bn2.initialize(manager, dataType, mid);
            if (shortcutConv != null) {
                shortcutConv.initialize(manager, dataType, inputShapes);
                shortcutBn.initialize(manager, dataType, shortcutConv.getOutputShapes(inputShapes));
            }
        }
    }
}
