package frugal.moe;

import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing of the latest forward pass, one {@link Routing} per MoE layer: each {@link MoeMlp} overwrites
 * its own layer's entry, so the trace never grows. Read it right after the forward it belongs to (its
 * arrays live in that forward's scope). Not thread-safe: one model, one thread.
 */
public final class RoutingTrace {
    private final Routing[] layers;

    public RoutingTrace(int layers) {
        if (layers < 1) {
            throw new FrugalException("a routing trace needs at least one layer, got " + layers);
        }
        this.layers = new Routing[layers];
    }

    void record(Routing routing) {
        layers[routing.layer()] = routing;
    }

    /** Every layer's routing of the latest forward; fails if a layer has not routed yet. */
    public List<Routing> layers() {
        List<Routing> out = new ArrayList<>(layers.length);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == null) {
                throw new FrugalException("MoE layer " + i + " has not routed any tokens yet: run a forward pass of"
                        + " the model built with this trace first");
            }
            out.add(layers[i]);
        }
        return out;
    }

    public int size() {
        return layers.length;
    }
}
