package frugal.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import frugal.core.FrugalException;
import frugal.data.ImageSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Real training images chosen per class, laid out IPC-major: image {@code k} is IPC index
 * {@code k / classes} of class {@code k % classes}, so the first {@code classes} images hold one per
 * class (the batch SRe2L recovers together, the unit CV-DD assigns a committee pair and DELT activates).
 */
public final class RealImages {
    private RealImages() {}

    /** {@code ipc} random images per class (the random-real baseline), IPC-major. */
    public static ImageSet random(ImageSet train, int ipc, long seed) {
        ImageSet chosen = train.subsetPerClass(ipc, seed);
        List<int[]> perClass = new ArrayList<>();
        for (int c = 0; c < train.numClasses(); c++) {
            int label = c;
            perClass.add(IntStream.range(0, chosen.size()).filter(i -> chosen.label(i) == label).toArray());
        }
        return ipcMajor(chosen, perClass, ipc);
    }

    /**
     * DELT's and CV-DD's "medium" images: in a random pool of {@code poolPerClass} images per class, ranked
     * by the teacher's probability of the true class, the median first, then alternately just above and
     * just below it (DELT's {@code data_selection.py}). IPC index 0 is the most typical-but-not-easy image.
     */
    public static ImageSet medium(Teacher ranker, ImageSet train, int ipc, int poolPerClass, long seed,
            NDManager manager) {
        if (poolPerClass <= ipc) {
            throw new FrugalException("the medium selection needs a pool of more than ipc = " + ipc
                    + " images per class, got poolPerClass " + poolPerClass);
        }
        ImageSet pool = train.subsetPerClass(poolPerClass, seed);
        double[] p = trueClassProbability(ranker, pool, manager);
        List<int[]> perClass = new ArrayList<>();
        for (int c = 0; c < pool.numClasses(); c++) {
            int label = c;
            Integer[] ranked = IntStream.range(0, pool.size()).filter(i -> pool.label(i) == label).boxed()
                    .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
            int mid = ranked.length / 2;
            int[] order = new int[ipc];
            for (int k = 0; k < ipc; k++) {
                int offset = k % 2 == 1 ? (k + 1) / 2 : -(k / 2); // 0, +1, -1, +2, -2, ...
                order[k] = ranked[mid + offset];
            }
            perClass.add(order);
        }
        return ipcMajor(pool, perClass, ipc);
    }

    /** The teacher's softmax probability of each image's own label, eval mode, batches of 500. */
    static double[] trueClassProbability(Teacher teacher, ImageSet set, NDManager manager) {
        double[] p = new double[set.size()];
        for (int from = 0; from < set.size(); from += 500) {
            int[] rows = IntStream.range(from, Math.min(set.size(), from + 500)).toArray();
            try (NDManager scope = manager.newSubManager()) {
                NDArray probs = teacher.logits(set.images(scope, rows)).softmax(-1);
                NDArray picked = probs.gather(set.labels(scope, rows).expandDims(-1), -1);
                float[] values = picked.toFloatArray();
                for (int i = 0; i < rows.length; i++) {
                    p[rows[i]] = values[i];
                }
            }
        }
        return p;
    }

    /** {@code set}'s images in IPC-major order, taking {@code perClass.get(c)[k]} as IPC index k of class c. */
    static ImageSet ipcMajor(ImageSet set, List<int[]> perClass, int ipc) {
        int classes = perClass.size();
        int[] order = new int[ipc * classes];
        for (int c = 0; c < classes; c++) {
            if (perClass.get(c).length < ipc) {
                throw new FrugalException("class " + c + " has " + perClass.get(c).length + " images, need " + ipc);
            }
            for (int k = 0; k < ipc; k++) {
                order[k * classes + c] = perClass.get(c)[k];
            }
        }
        return set.subset(order);
    }

    /** The IPC-major labels 0, 1, ..., classes-1, 0, 1, ... of {@code ipc} images per class. */
    static int[] ipcMajorLabels(int ipc, int classes) {
        int[] labels = new int[ipc * classes];
        Arrays.setAll(labels, k -> k % classes);
        return labels;
    }
}
