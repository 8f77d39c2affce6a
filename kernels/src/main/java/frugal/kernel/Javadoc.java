package frugal.kernel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Javadoc comment text as plain text for an inspection tooltip. */
final class Javadoc {
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link|linkplain|literal|value)\\s+([^}]*)}");
    private static final Pattern PARAGRAPH = Pattern.compile("(?i)<p>|<br\\s*/?>|</?(?:ul|ol|pre|blockquote)>");
    private static final Pattern ITEM = Pattern.compile("(?i)<li>");
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    private Javadoc() {}

    static String toText(String javadoc) {
        Matcher m = INLINE_TAG.matcher(javadoc);
        String s = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1).strip()));
        s = PARAGRAPH.matcher(s).replaceAll("\n");
        s = ITEM.matcher(s).replaceAll("\n - ");
        s = TAG.matcher(s).replaceAll("");
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", " ").replace("&amp;", "&");
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() && (out.length() == 0 || out.toString().endsWith("\n\n"))) {
                continue;
            }
            out.append(l).append('\n');
        }
        return out.toString().strip();
    }
}
