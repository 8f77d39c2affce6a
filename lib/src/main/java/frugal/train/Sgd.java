package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Stochastic gradient descent with heavy-ball momentum as in PyTorch ({@code buf = mu buf + g; w -= lr buf})
 * and decoupled weight decay ({@code w -= lr wd w}, the same as L2 decay when momentum is 0).
 */
public final class Sgd implements Optimizer {
    private final TrainableParams params;
    private final List<TrainableParams.Entry> entries;
    private final double momentum;
    private final OptimizerState state;

    /** @param momentum in [0, 1); 0 is plain SGD and keeps no buffers */
    public Sgd(TrainableParams params, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        this.params = params;
        this.entries = params.entries();
        this.momentum = momentum;
        this.state = new OptimizerState(params, kind(), momentum > 0 ? 1 : 0);
    }

    public static Optimizer.Factory factory(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        return params -> new Sgd(params, momentum);
    }

    @Override
    public TrainableParams params() {
        return params;
    }

    @Override
    public void step(NDList gradients, double lr, double gradScale) {
        if (gradients.size() != entries.size()) {
            throw new IllegalArgumentException("expected " + entries.size() + " gradients, got " + gradients.size());
        }
        state.advance();
        for (int i = 0; i < entries.size(); i++) {
            TrainableParams.Entry e = entries.get(i);
            NDArray w = e.array();
            NDArray g = gradients.get(i);
            double groupLr = lr * e.group().lrMultiplier();
            if (gradScale != 1.0) {
                g.muli(gradScale);
            }
            if (e.group().weightDecay() > 0) {
                w.muli(1 - groupLr * e.group().weightDecay());
            }
            if (momentum > 0) {
                NDArray buf = state.slot(i, 0);
                buf.muli(momentum).addi(g);
                w.subi(buf.mul(groupLr));
            } else {
                w.subi(g.mul(groupLr));
            }
            TrainableParams.zeroGradient(w);
        }
    }

    @Override
    public long stepCount() {
        return state.steps();
    }

    @Override
    public String kind() {
        return momentum > 0 ? "sgd-momentum" : "sgd";
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        state.save(out);
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        state.load(in);
    }

    @Override
    public void close() {
        state.close();
    }
}
