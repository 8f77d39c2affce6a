package frugal.binary;

import frugal.core.GradMode;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import frugal.core.FrugalException;
import frugal.train.Batch;
import frugal.train.BatchSource;
import frugal.train.LossFunction;
import frugal.train.Losses;

/**
 * Autoregressive distillation (FBI-LLM): the student learns the teacher's next-token distribution at every
 * position, {@code L = -(1/n) sum_i sum_v p_T(v | x_<=i) log p_S(v | x_<=i)} (temperature 1), optionally
 * mixed with the ground-truth cross-entropy.
 *
 * <p>The teacher runs in the batch source ({@link #withTeacher}), which the training loop calls before it opens
 * its gradient collector, with autograd recording off: the teacher's logits are plain data and carry no graph.
 */
public final class Distillation {
    private Distillation() {}

    /**
     * Batches of {@code data} whose targets become (ground-truth tokens, teacher logits B x T x vocab). The
     * teacher runs in inference mode without gradient recording.
     */
    public static BatchSource withTeacher(BatchSource data, Block teacher) {
        return (manager, step) -> {
            Batch b = data.batch(manager, step);
            NDArray logits = teacherLogits(teacher, b.inputs());
            return new Batch(b.inputs(), new NDList(b.targets().head(), logits), b.tokens());
        };
    }

    /**
     * The distillation objective for batches from {@link #withTeacher}: {@code (1 - w) AD + w CE} with
     * {@code w = labelWeight}; 0 is the paper's default (pure AD), 0.5 its mixed variant.
     */
    public static LossFunction loss(double labelWeight) {
        if (!(labelWeight >= 0 && labelWeight <= 1)) {
            throw new FrugalException("Distillation.loss: labelWeight must be in [0, 1], got " + labelWeight);
        }
        return (model, inputs, targets, training) -> {
            if (targets.size() < 2) {
                throw new FrugalException("Distillation.loss needs the teacher's logits as the second target: wrap the"
                        + " batches with Distillation.withTeacher(data, teacher)");
            }
            NDArray student = Losses.forward(model, inputs, training).head();
            NDArray ad = loss(student, targets.get(1));
            if (labelWeight == 0) {
                return ad;
            }
            NDArray ce = frugal.nn.TinyGpt.loss(student, targets.head());
            // weights as arrays on the step's manager: a Java number in mul() is freed before the backward reads it
            NDArray wAd = student.getManager().create((float) (1 - labelWeight));
            NDArray wCe = student.getManager().create((float) labelWeight);
            return ad.mul(wAd).add(ce.mul(wCe));
        };
    }

    /**
     * Cross-entropy between the teacher's and the student's next-token distributions, averaged over positions:
     * {@code -mean_i sum_v softmax(teacher)_iv logSoftmax(student)_iv}. No gradient reaches the teacher's logits.
     */
    public static NDArray loss(NDArray studentLogits, NDArray teacherLogits) {
        if (!studentLogits.getShape().equals(teacherLogits.getShape())) {
            throw new FrugalException("distillation needs teacher and student logits of the same shape, got student "
                    + studentLogits.getShape() + " and teacher " + teacherLogits.getShape()
                    + "; teacher and student must share the tokenizer (vocabulary)");
        }
        NDArray target = teacherLogits.stopGradient().softmax(-1);
        return studentLogits.logSoftmax(-1).mul(target).sum(new int[] {-1}).mean().neg();
    }

    /** The teacher's logits for {@code inputs}, in inference mode and without recording a graph. */
    public static NDArray teacherLogits(Block teacher, NDList inputs) {
        return GradMode.noGrad(() -> Losses.forward(teacher, inputs, false).head());
    }
}
