package frugal.kernel.remote;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rendered value: MIME type to content (text, HTML, or base64 for images), plus per-type
 * metadata such as an image's size. An empty bundle means "show nothing".
 *
 * @param data     MIME type to content, in the order a frontend should prefer them
 * @param metadata MIME type to that representation's metadata
 */
public record MimeBundle(Map<String, String> data, Map<String, Map<String, Object>> metadata) {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String PNG = "image/png";

    public MimeBundle {
        data = data == null ? Map.of() : new LinkedHashMap<>(data);
        metadata = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
    }

    public static MimeBundle empty() {
        return new MimeBundle(Map.of(), Map.of());
    }

    public static MimeBundle text(String text) {
        return new MimeBundle(Map.of(TEXT, text), Map.of());
    }

    /** HTML for notebooks with the text a terminal or a plain-text reader shows instead. */
    public static MimeBundle html(String html, String text) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(HTML, html);
        d.put(TEXT, text);
        return new MimeBundle(d, Map.of());
    }

    /** A PNG (base64) with its size, and a one-line text description. */
    public static MimeBundle png(String base64, int width, int height, String text) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(PNG, base64);
        d.put(TEXT, text);
        return new MimeBundle(d, Map.of(PNG, Map.of("width", width, "height", height)));
    }

    public boolean isEmpty() {
        return data.isEmpty();
    }
}
