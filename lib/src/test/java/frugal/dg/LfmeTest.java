package frugal.dg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import frugal.core.Engines;
import frugal.data.ImageBatch;
import frugal.data.ImageSet;
import frugal.nn.Classifier;
import frugal.train.Losses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LfmeTest {
    private static final double[][] LOGITS = {{2.0, -1.0, 0.5}, {0.1, 0.3, -0.7}};
    private static final long[] LABELS = {0, 2};
    private static final double[][] SOFT = {{0.7, 0.1, 0.2}, {0.25, 0.25, 0.5}};

    @Test
    void targetLossEqualsAHandComputation() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            double alpha = 0.3;
            NDArray loss = Lfme.targetLoss(m.create(flat(LOGITS), new Shape(2, 3)), m.create(LABELS),
                    m.create(flat(SOFT), new Shape(2, 3)), m.create((float) alpha));
            assertEquals(expected(LOGITS, LABELS, SOFT, alpha), loss.getFloat(), 1e-5);
        }
    }

    @Test
    void oneStepOfTheLearnerEqualsTheHandComputationWithExpertProbabilities() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            ImageSet images = TinyDomains.images(8, 8, 4);
            RunSetup setup = new RunSetup(new MnistCnn(16), 3, 2, new Shape(2, 1, 8, 8), 1e-2, 0, 9, m);
            double alpha = 0.5;
            try (Learner lfme = Lfme.withExperts(alpha).start(setup); NDManager step = m.newSubManager()) {
                List<ImageBatch> batches = List.of(images.batchAt(step, 0, 2, 1), images.batchAt(step, 1, 2, 1));
                double[][] z = logits(lfme.predictor(), batches);
                long[] y = labels(batches);
                double[][] p = new double[4][];
                for (int d = 0; d < 2; d++) { // expert d sees only domain d's two images
                    double[][] e = logits(lfme.experts().get(d), List.of(batches.get(d)));
                    p[2 * d] = softmax(e[0]);
                    p[2 * d + 1] = softmax(e[1]);
                }
                double before = expected(z, y, p, alpha);
                assertEquals(before, lfme.update(batches, step), 1e-4);
                assertNotEquals(z[0][0], logits(lfme.predictor(), batches)[0][0], "the target was updated");
            }
        }
    }

    @Test
    void freeLunchRegressesOntoTheOneHotLabel() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            ImageSet images = TinyDomains.images(8, 8, 5);
            RunSetup setup = new RunSetup(new MnistCnn(16), 3, 2, new Shape(2, 1, 8, 8), 1e-2, 0, 9, m);
            try (Learner free = Lfme.freeLunch(2.0).start(setup); NDManager step = m.newSubManager()) {
                List<ImageBatch> batches = List.of(images.batchAt(step, 0, 2, 1), images.batchAt(step, 1, 2, 1));
                double[][] z = logits(free.predictor(), batches);
                long[] y = labels(batches);
                double[][] oneHot = new double[4][3];
                for (int i = 0; i < 4; i++) {
                    oneHot[i][(int) y[i]] = 1;
                }
                assertEquals(expected(z, y, oneHot, 2.0), free.update(batches, step), 1e-4);
                assertEquals(List.of(), free.experts());
            }
        }
    }

    // CE averaged over the batch + alpha * squared difference averaged over batch x classes
    private static double expected(double[][] z, long[] y, double[][] q, double alpha) {
        double ce = 0;
        double mse = 0;
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z[i]) {
                sum += Math.exp(v - max);
            }
            ce += -(z[i][(int) y[i]] - max - Math.log(sum)) / z.length;
            for (int c = 0; c < z[i].length; c++) {
                mse += (z[i][c] - q[i][c]) * (z[i][c] - q[i][c]) / (z.length * z[i].length);
            }
        }
        return ce + alpha * mse;
    }

    private static double[][] logits(Classifier model, List<ImageBatch> batches) {
        List<double[]> rows = new ArrayList<>();
        for (ImageBatch b : batches) {
            NDArray out = Losses.forward(model, new NDList(b.images()), true).singletonOrThrow();
            float[] v = out.toFloatArray();
            int classes = (int) out.getShape().get(1);
            for (int i = 0; i < b.size(); i++) {
                double[] row = new double[classes];
                for (int c = 0; c < classes; c++) {
                    row[c] = v[i * classes + c];
                }
                rows.add(row);
            }
        }
        return rows.toArray(double[][]::new);
    }

    private static long[] labels(List<ImageBatch> batches) {
        return batches.stream().flatMapToLong(b -> java.util.Arrays.stream(b.labels().toLongArray())).toArray();
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            p[c] = Math.exp(z[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < z.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private static float[] flat(double[][] a) {
        float[] f = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                f[i * a[i].length + j] = (float) a[i][j];
            }
        }
        return f;
    }
}
