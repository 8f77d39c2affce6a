package frugal.claims;

import frugal.core.Html;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The table a paper notebook ends with. Its HTML carries {@code class="frugal-claims"}, the marker
 * scripts/reproduce looks for when it gathers every notebook's claims into one report.
 */
public final class ClaimsTable {
    /** The marker scripts/reproduce searches for in cell outputs. */
    public static final String MARKER_CLASS = "frugal-claims";

    private final String title;
    private final List<Claim> claims = new ArrayList<>();

    public ClaimsTable(String title) {
        this.title = title;
    }

    public ClaimsTable add(Claim claim) {
        claims.add(claim);
        return this;
    }

    public List<Claim> claims() {
        return Collections.unmodifiableList(claims);
    }

    /** True when no judged claim failed (an INCONCLUSIVE one did not fail, nor did it pass). */
    public boolean allPassed() {
        return claims.stream().noneMatch(c -> c.verdict() == Verdict.FAIL);
    }

    /** Renders as HTML for a notebook, with a plain-text twin for terminals. */
    public Html toHtml() {
        StringBuilder h = new StringBuilder();
        h.append("<table class=\"").append(MARKER_CLASS).append("\">");
        h.append("<caption>").append(escape(title)).append("</caption>");
        h.append("<tr><th>claim</th><th>statement</th><th>measured</th><th>threshold</th><th>verdict</th></tr>");
        for (Claim c : claims) {
            String color = switch (c.verdict()) {
                case PASS -> "#1a7f37";
                case FAIL -> "#cf222e";
                case INCONCLUSIVE -> "#9a6700";
                case NOT_JUDGED -> "#6e7781";
            };
            h.append("<tr><td>").append(escape(c.id())).append("</td><td>").append(escape(c.statement()))
                    .append("</td><td>").append(escape(c.measured())).append("</td><td>")
                    .append(escape(c.threshold())).append("</td><td style=\"color:").append(color)
                    .append(";font-weight:bold\">").append(c.verdict().label()).append("</td></tr>");
        }
        h.append("</table>");
        return new Html(h.toString(), toString());
    }

    @Override
    public String toString() {
        StringBuilder t = new StringBuilder(title).append('\n');
        for (Claim c : claims) {
            t.append(String.format("%-4s %-12s %s | measured %s | %s%n", c.id(), c.verdict().label(), c.statement(),
                    c.measured(), c.threshold()));
        }
        return t.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
