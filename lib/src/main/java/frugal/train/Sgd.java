package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Stochastic gradient descent with heavy-ball momentum as in PyTorch ({@code buf = mu buf + g; w -= lr buf})
 * and decoupled weight decay ({@code w -= lr wd w}, the same as L2 decay when momentum is 0).
 */
public final class Sgd extends SlotOptimizer {
    private final double momentum;

    /** @param momentum in [0, 1); 0 is plain SGD and keeps no buffers */
    public Sgd(TrainableParams params, double momentum) {
        super(params, kindOf(requireMomentum(momentum)), momentum > 0 ? 1 : 0);
        this.momentum = momentum;
    }

    public static Optimizer.Factory factory(double momentum) {
        requireMomentum(momentum);
        return params -> new Sgd(params, momentum);
    }

    private static double requireMomentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        return momentum;
    }

    @Override
    public void step(NDList gradients, double lr, double gradScale) {
        advance(gradients.size());
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
    public String kind() {
        return kindOf(momentum);
    }

    private static String kindOf(double momentum) {
        return momentum > 0 ? "sgd-momentum" : "sgd";
    }
}
