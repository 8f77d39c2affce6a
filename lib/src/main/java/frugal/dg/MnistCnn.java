package frugal.dg;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import frugal.core.FrugalException;
import frugal.nn.Classifier;
import frugal.nn.GroupNorm;
import frugal.nn.GroupNormCnn;

/**
 * DomainBed's MNIST_CNN ({@link GroupNormCnn}) with its widths scaled to a CPU budget: conv {@code width/2},
 * conv {@code width} (stride 2), conv {@code width}, conv {@code width}, each 3x3 with ReLU then GroupNorm(8),
 * global average pool, linear head. {@code width = 128} is DomainBed's network, layer for layer.
 *
 * <p>Kept here until {@link GroupNormCnn} takes a width; then this delegates to it.
 *
 * @param width channels of the last three convolutions; a multiple of 16 (GroupNorm(8) of width / 2)
 */
public record MnistCnn(int width) implements Network {
    private static final int GROUPS = 8;

    public MnistCnn {
        if (width < 16 || width % 16 != 0) {
            throw new FrugalException("MnistCnn width must be a positive multiple of 16 (GroupNorm with 8 groups of"
                    + " the first layer's width / 2 channels), got " + width);
        }
    }

    /** DomainBed's full width. */
    public static MnistCnn domainBed() {
        return new MnistCnn(GroupNormCnn.FEATURES);
    }

    @Override
    public Classifier build(int classes) {
        SequentialBlock featurizer = new SequentialBlock();
        int[] filters = {width / 2, width, width, width};
        int[] strides = {1, 2, 1, 1};
        for (int i = 0; i < filters.length; i++) {
            featurizer.add(Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .optStride(new Shape(strides[i], strides[i]))
                    .setFilters(filters[i])
                    .build());
            featurizer.add(Activation.reluBlock());
            featurizer.add(new GroupNorm(GROUPS));
        }
        featurizer.addSingleton(x -> x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2}),
                "globalAvgPool");
        return new Classifier(featurizer, GroupNormCnn.head(classes));
    }
}
