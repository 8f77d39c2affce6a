package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import frugal.core.Engines;
import frugal.core.FrugalException;
import frugal.nn.GroupNormCnn;
import java.util.List;
import org.junit.jupiter.api.Test;

class MnistCnnTest {
    @Test
    void fullWidthIsDomainBedsNetworkLayerForLayer() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Block ours = MnistCnn.domainBed().build(10);
            Block reference = GroupNormCnn.build(1, 10);
            Shape input = new Shape(2, 1, 28, 28);
            ours.initialize(m, DataType.FLOAT32, input);
            reference.initialize(m, DataType.FLOAT32, input);
            assertEquals(shapes(reference), shapes(ours));
        }
    }

    @Test
    void widthScalesEveryConvolution() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = new MnistCnn(32).build(10);
            net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            List<String> kernels = net.getParameters().stream()
                    .filter(p -> p.getValue().getArray().getShape().dimension() == 4)
                    .map(p -> p.getValue().getArray().getShape().toString()).toList();
            assertEquals(List.of("(16, 1, 3, 3)", "(32, 16, 3, 3)", "(32, 32, 3, 3)", "(32, 32, 3, 3)"), kernels);
            assertEquals(new Shape(2, 10), net.getOutputShapes(new Shape[] {new Shape(2, 1, 28, 28)})[0]);
        }
    }

    @Test
    void widthMustSuitGroupNorm() {
        assertThrows(FrugalException.class, () -> new MnistCnn(24));
    }

    private static List<String> shapes(Block b) {
        return b.getParameters().stream().map(p -> p.getValue().getArray().getShape().toString()).toList();
    }
}
