package frugal.distill;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import frugal.nn.Classifier;
import frugal.nn.ConvNet;
import frugal.nn.ResNetMini;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A network that can be built afresh any number of times (teachers, students), named for tables and
 * cache keys: two architectures with the same name must build the same network.
 *
 * @param name e.g. "ConvNet-D3W32-BN"; the identity of the architecture
 * @param factory builds a fresh, uninitialised network
 */
public record Architecture(String name, Supplier<Classifier> factory) {
    public Architecture {
        if (name == null || name.isBlank()) {
            throw new FrugalException("an architecture needs a name (it keys tables and the teacher cache)");
        }
        Objects.requireNonNull(factory, "factory");
    }

    /** A BN ConvNet for Fashion-MNIST (1 x 28 x 28, 10 classes): depth x [conv, BN, ReLU, avg pool]. */
    public static Architecture convNet(int depth, int width) {
        return of(ConvNet.Config.batchNorm(1, 28, 10, depth, width));
    }

    /** A {@link ResNetMini} for Fashion-MNIST (1 channel, 10 classes). */
    public static Architecture resNet(int width, int stages, int blocksPerStage) {
        return of(new ResNetMini.Config(1, width, stages, blocksPerStage, 10));
    }

    public static Architecture of(ConvNet.Config config) {
        return new Architecture(config.name(), () -> ConvNet.build(config));
    }

    public static Architecture of(ResNetMini.Config config) {
        return new Architecture(config.name(), () -> ResNetMini.build(config));
    }

    /** A fresh network, initialised for inputs of {@code inputShape} (N x C x H x W) on {@code manager}. */
    public Classifier build(NDManager manager, Shape inputShape) {
        Classifier model = factory.get();
        model.initialize(manager, DataType.FLOAT32, inputShape);
        return model;
    }

    @Override
    public String toString() {
        return name;
    }
}
