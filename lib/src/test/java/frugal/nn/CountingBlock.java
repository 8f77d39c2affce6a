package frugal.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a block and counts its forward passes (tests that show which blocks run). */
public final class CountingBlock extends AbstractBlock {
    private final Block inner;
    private final AtomicInteger calls;

    /** Counts into {@code calls}, which several blocks may share. */
    public CountingBlock(Block inner, AtomicInteger calls) {
        this.inner = addChildBlock("inner", inner);
        this.calls = calls;
    }

    public CountingBlock(Block inner) {
        this(inner, new AtomicInteger());
    }

    public int calls() {
        return calls.get();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        calls.incrementAndGet();
        return inner.forward(ps, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }
}
