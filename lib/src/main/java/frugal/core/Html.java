package frugal.core;

/**
 * A piece of HTML for rich displays, with the plain text a terminal shows instead.
 *
 * @param html what a notebook renders (text/html)
 * @param text what a terminal prints (text/plain)
 */
public record Html(String html, String text) {}
