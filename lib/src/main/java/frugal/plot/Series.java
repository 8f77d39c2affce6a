package frugal.plot;

import java.util.Objects;

/**
 * A named curve: y against x, for {@link Plots#lines}.
 *
 * @param name the legend entry
 * @param x abscissae, same length as y
 * @param y ordinates
 */
public record Series(String name, double[] x, double[] y) {
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": x has " + x.length + " values but y has " + y.length);
        }
    }

    /** y against 0, 1, 2, ... */
    public static Series of(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Series(name, x, y);
    }

    public int size() {
        return x.length;
    }
}
