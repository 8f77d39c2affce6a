package frugal.plot;

import java.util.Objects;

/**
 * One series of a grouped bar chart: a value per category, optionally with error bars (e.g. standard deviation
 * over seeds).
 *
 * @param name the legend entry
 * @param values one per category
 * @param errors one per category, or null for none
 */
public record Bars(String name, double[] values, double[] errors) {
    public Bars {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        if (errors != null && errors.length != values.length) {
            throw new IllegalArgumentException("bars " + name + ": " + values.length + " values but " + errors.length + " errors");
        }
    }

    public static Bars of(String name, double... values) {
        return new Bars(name, values, null);
    }
}
