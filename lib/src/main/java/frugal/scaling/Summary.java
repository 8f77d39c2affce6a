package frugal.scaling;

/** The plain-text table every fit prints: law, fit quality, then one row per constant. */
final class Summary {
    private Summary() {}

    static String table(String law, GoodnessOfFit quality, Parameter... parameters) {
        var out = new StringBuilder(law).append("   (").append(quality).append(")\n");
        out.append(String.format("  %-8s %12s %10s   %s%n", "constant", "value", "std.err", "95% interval"));
        for (Parameter p : parameters) {
            out.append(String.format("  %-8s %12.5g %10.3g   %.4g .. %.4g%n", p.name(), p.value(), p.standardError(),
                    p.lower95(), p.upper95()));
        }
        return out.toString();
    }
}
