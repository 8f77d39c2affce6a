package frugal.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import frugal.data.ImageSet;
import java.util.stream.IntStream;

/**
 * How different the images of a class look to a teacher: the mean pairwise cosine distance
 * {@code 1 - cos(f_i, f_j)} of teacher features over all pairs i &lt; j within a class, averaged over
 * classes (DELT's diversity argument, measured in feature space).
 */
public final class Diversity {
    private Diversity() {}

    /** The measure for {@code set}; NaN when no class has two images (IPC 1). */
    public static double meanPairwiseCosineDistance(Teacher teacher, ImageSet set, NDManager manager) {
        double[][] features = features(teacher, set, manager);
        double sum = 0;
        int classesCounted = 0;
        for (int c = 0; c < set.numClasses(); c++) {
            int label = c;
            int[] members = IntStream.range(0, set.size()).filter(i -> set.label(i) == label).toArray();
            if (members.length < 2) {
                continue;
            }
            double classSum = 0;
            int pairs = 0;
            for (int a = 0; a < members.length; a++) {
                for (int b = a + 1; b < members.length; b++) {
                    classSum += 1 - cosine(features[members[a]], features[members[b]]);
                    pairs++;
                }
            }
            sum += classSum / pairs;
            classesCounted++;
        }
        return classesCounted == 0 ? Double.NaN : sum / classesCounted;
    }

    /** Teacher features (eval mode) of every image of {@code set}, one row per image. */
    public static double[][] features(Teacher teacher, ImageSet set, NDManager manager) {
        double[][] rows = new double[set.size()][];
        for (int from = 0; from < set.size(); from += 500) {
            int[] idx = IntStream.range(from, Math.min(set.size(), from + 500)).toArray();
            try (NDManager scope = manager.newSubManager()) {
                NDArray f = teacher.features(set.images(scope, idx));
                int width = (int) f.getShape().get(1);
                float[] flat = f.toFloatArray();
                for (int i = 0; i < idx.length; i++) {
                    double[] row = new double[width];
                    for (int j = 0; j < width; j++) {
                        row[j] = flat[i * width + j];
                    }
                    rows[idx[i]] = row;
                }
            }
        }
        return rows;
    }

    static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
