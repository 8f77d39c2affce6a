package frugal.dg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import frugal.core.FrugalException;
import frugal.data.ImageBatch;
import frugal.nn.Classifier;
import frugal.train.Losses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LFME (Chen et al., NeurIPS 2024): learning from multiple experts by logit regression. One expert per training
 * domain learns that domain alone (cross-entropy, its own Adam); the target learns from all domains with
 *
 * <pre>  L = CE(z, y) + alpha * mean((z - stopgrad(p))^2)</pre>
 *
 * where {@code z} are the target's raw logits and {@code p} the softmax of the expert of each sample's domain,
 * computed on the same minibatch before that expert's update; the mean runs over batch x classes. Only the
 * target predicts at test time.
 *
 * <p>{@link #freeLunch} is the README's expert-free variant: the same regression towards the one-hot label.
 */
public final class Lfme implements Algorithm {
    private final double alpha;
    private final boolean useExperts;

    private Lfme(double alpha, boolean useExperts) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new FrugalException("LFME alpha must be finite and >= 0, got " + alpha + " (paper default 1.0)");
        }
        this.alpha = alpha;
        this.useExperts = useExperts;
    }

    /** LFME with one expert per training domain; the paper's default alpha is 1.0. */
    public static Lfme withExperts(double alpha) {
        return new Lfme(alpha, true);
    }

    /** The "free lunch" variant: no experts, logits regressed towards the one-hot label. */
    public static Lfme freeLunch(double alpha) {
        return new Lfme(alpha, false);
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public String name() {
        return useExperts ? "LFME" : "free lunch";
    }

    /**
     * The target's objective: mean cross-entropy of {@code logits} (B x C) against {@code labels} (B) plus
     * {@code alpha} times the mean squared difference between the logits and {@code soft} (B x C). {@code alpha}
     * is an array so that autograd can read it in the backward pass (see README, pitfalls).
     */
    public static NDArray targetLoss(NDArray logits, NDArray labels, NDArray soft, NDArray alpha) {
        if (!logits.getShape().equals(soft.getShape())) {
            throw new FrugalException("LFME regresses logits " + logits.getShape()
                    + " onto targets of the same shape, got " + soft.getShape());
        }
        NDArray ce = Losses.softmaxCrossEntropy().loss(new NDList(logits), new NDList(labels));
        return ce.add(logits.sub(soft).square().mean().mul(alpha));
    }

    @Override
    public Learner start(RunSetup setup) {
        Trainee target = setup.newTrainee(0);
        List<Trainee> experts = new ArrayList<>();
        if (useExperts) {
            for (int d = 0; d < setup.trainingDomains(); d++) {
                experts.add(setup.newTrainee(1 + d));
            }
        }
        return new LfmeLearner(target, experts, setup.classes());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(alpha=%s)", name(), alpha);
    }

    private final class LfmeLearner implements Learner {
        private final Trainee target;
        private final List<Trainee> experts;
        private final int classes;

        LfmeLearner(Trainee target, List<Trainee> experts, int classes) {
            this.target = target;
            this.experts = experts;
            this.classes = classes;
        }

        @Override
        public double update(List<ImageBatch> batches, NDManager scope) {
            NDArray images = Minibatches.images(batches);
            NDArray labels = Minibatches.labels(batches);
            NDArray soft = useExperts ? expertProbabilities(batches, scope)
                    : labels.oneHot(classes).toType(DataType.FLOAT32, false);
            NDArray alphaArray = scope.create((float) alpha);
            return target.step(scope, t -> targetLoss(t.logits(images), labels, soft, alphaArray));
        }

        // each expert's softmax on its own domain's minibatch, taken before its update, in domain order
        private NDArray expertProbabilities(List<ImageBatch> batches, NDManager scope) {
            if (batches.size() != experts.size()) {
                throw new FrugalException("LFME has " + experts.size() + " experts but got " + batches.size()
                        + " domain minibatches");
            }
            NDList probabilities = new NDList(batches.size());
            for (int d = 0; d < batches.size(); d++) {
                ImageBatch batch = batches.get(d);
                experts.get(d).step(scope, e -> {
                    NDArray logits = e.logits(batch.images());
                    probabilities.add(logits.softmax(-1).stopGradient());
                    return Losses.softmaxCrossEntropy().loss(new NDList(logits), new NDList(batch.labels()));
                });
            }
            return NDArrays.concat(probabilities);
        }

        @Override
        public Classifier predictor() {
            return target.model();
        }

        @Override
        public List<Classifier> experts() {
            return experts.stream().map(Trainee::model).toList();
        }

        @Override
        public void close() {
            target.close();
            experts.forEach(Trainee::close);
        }
    }
}
