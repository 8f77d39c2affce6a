package frugal.dg;

import frugal.nn.Classifier;
import frugal.nn.GroupNormCnn;

/**
 * DomainBed's MNIST_CNN ({@link GroupNormCnn}) with its widths scaled to a CPU budget: conv {@code width/2},
 * conv {@code width} (stride 2), conv {@code width}, conv {@code width}, each 3x3 with ReLU then GroupNorm(8),
 * global average pool, linear head. {@code width = 128} is DomainBed's network, layer for layer.
 *
 * @param width channels of the last three convolutions; a multiple of 16 (GroupNorm(8) of width / 2)
 */
public record MnistCnn(int width) implements Network {
    public MnistCnn {
        GroupNormCnn.featurizer(1, width); // validates the width with GroupNormCnn's own message
    }

    /** DomainBed's full width. */
    public static MnistCnn domainBed() {
        return new MnistCnn(GroupNormCnn.FEATURES);
    }

    @Override
    public Classifier build(int classes) {
        return new Classifier(GroupNormCnn.featurizer(1, width), GroupNormCnn.head(classes));
    }
}
