package frugal.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;

/** Runs a {@link Guard}: remembers recent good losses and judges each new step. */
final class LossGuard {
    private static final int MIN_HISTORY = 10;

    private final Guard guard;
    private final ArrayDeque<Double> recent = new ArrayDeque<>();
    private int consecutiveSkips;
    private double lastGood = Double.NaN;
    private long lastGoodStep = -1;

    LossGuard(Guard guard) {
        this.guard = guard;
    }

    /** Why the step is bad, or null when it is fine. */
    String problem(double loss, double gradNorm) {
        if (!Double.isFinite(loss)) {
            return "loss is " + loss;
        }
        if (!Double.isFinite(gradNorm)) {
            return "gradient norm is " + gradNorm + " (loss " + fmt(loss) + ")";
        }
        if (Double.isFinite(guard.spikeFactor()) && recent.size() >= Math.min(guard.window(), MIN_HISTORY)) {
            double median = median();
            if (loss > guard.spikeFactor() * median) {
                return "loss " + fmt(loss) + " is a spike: " + fmt(loss / median) + "x the median " + fmt(median)
                        + " of the last " + recent.size() + " steps (spike factor " + guard.spikeFactor() + ")";
            }
        }
        return null;
    }

    void accept(long step, double loss) {
        consecutiveSkips = 0;
        lastGood = loss;
        lastGoodStep = step;
        recent.addLast(loss);
        if (recent.size() > guard.window()) {
            recent.removeFirst();
        }
    }

    /** Counts a bad step that was not applied. */
    void countSkip() {
        consecutiveSkips++;
    }

    /** True when the SKIP policy allows no more bad steps in a row. */
    boolean skipsExhausted() {
        return consecutiveSkips >= guard.maxConsecutiveSkips();
    }

    int consecutiveSkips() {
        return consecutiveSkips;
    }

    double lastGood() {
        return lastGood;
    }

    long lastGoodStep() {
        return lastGoodStep;
    }

    private double median() {
        double[] v = recent.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    void save(DataOutputStream out) throws IOException {
        out.writeInt(recent.size());
        for (double d : recent) {
            out.writeDouble(d);
        }
        out.writeInt(consecutiveSkips);
        out.writeDouble(lastGood);
        out.writeLong(lastGoodStep);
    }

    void load(DataInputStream in) throws IOException {
        recent.clear();
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("bad guard window size " + n);
        }
        for (int i = 0; i < n; i++) {
            recent.addLast(in.readDouble());
        }
        while (recent.size() > guard.window()) {
            recent.removeFirst();
        }
        consecutiveSkips = in.readInt();
        lastGood = in.readDouble();
        lastGoodStep = in.readLong();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
