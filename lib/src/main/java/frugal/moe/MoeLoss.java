package frugal.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import frugal.core.FrugalException;
import frugal.nn.TinyGpt;
import frugal.train.LossFunction;
import frugal.train.Losses;

/**
 * The training objective of an MoE TinyGpt: next-token cross-entropy + alpha * LBL, the LBL gathered over
 * {@code scope} from the routing the forward left in {@code trace}.
 *
 * @param trace the trace the model's {@link MoeMlp} blocks record into
 * @param scope where f_i is gathered
 * @param alpha the LBL's weight
 */
public record MoeLoss(RoutingTrace trace, BalanceScope scope, double alpha) implements LossFunction {
    public MoeLoss {
        if (trace == null || scope == null || !(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new FrugalException("MoeLoss needs a trace, a scope and a finite alpha >= 0; got " + trace + ", "
                    + scope + ", " + alpha);
        }
    }

    @Override
    public NDArray loss(Block model, NDList inputs, NDList targets, boolean training) {
        NDArray logits = Losses.forward(model, inputs, training).singletonOrThrow();
        NDArray ce = TinyGpt.loss(logits, targets.singletonOrThrow());
        if (alpha == 0) {
            return ce;
        }
        NDArray lbl = LoadBalance.loss(trace.layers(), scope, logits.getManager());
        return ce.add(lbl.mul(logits.getManager().create((float) alpha)));
    }
}
