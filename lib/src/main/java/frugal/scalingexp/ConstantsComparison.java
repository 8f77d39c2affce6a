package frugal.scalingexp;

import frugal.core.Html;
import frugal.plot.Plots;
import frugal.scaling.LossNsFit;
import frugal.scaling.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The constants of {@code L(N, S) = (N_c/N)^alpha_N + (S_c/S)^alpha_S} fitted on two setups side by side (claim
 * C4, the paper's warning against copying constants): a constant differs when its two 95% intervals do not
 * overlap.
 */
public record ConstantsComparison(String setupA, LossNsFit fitA, String setupB, LossNsFit fitB) {

    /** One constant in both setups. */
    public record Row(String constant, Parameter a, Parameter b) {
        /** {@code b / a}. */
        public double ratio() {
            return b.value() / a.value();
        }

        /** Whether the two 95% intervals are disjoint. */
        public boolean differs() {
            return a.upper95() < b.lower95() || b.upper95() < a.lower95();
        }
    }

    public List<Row> rows() {
        return List.of(new Row("N_c", fitA.nC(), fitB.nC()), new Row("alpha_N", fitA.alphaN(), fitB.alphaN()),
                new Row("S_c", fitA.sC(), fitB.sC()), new Row("alpha_S", fitA.alphaS(), fitB.alphaS()));
    }

    /** The constants whose intervals are disjoint, by name. */
    public List<String> differing() {
        return rows().stream().filter(Row::differs).map(Row::constant).toList();
    }

    /** The side-by-side table: value and 95% interval in each setup, the ratio, and whether they differ. */
    public Html table() {
        List<List<?>> rows = new ArrayList<>();
        for (Row r : rows()) {
            rows.add(List.of(r.constant(), interval(r.a()), interval(r.b()), r.ratio(), r.differs() ? "yes" : "no"));
        }
        return Plots.table(List.of("constant", setupA, setupB, "ratio", "95% intervals disjoint"), rows);
    }

    private static String interval(Parameter p) {
        return String.format(Locale.ROOT, "%.4g (%.4g .. %.4g)", p.value(), p.lower95(), p.upper95());
    }
}
