package frugal.kernel;

import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cells run since the kernel started that asked to be stored, for history requests (jupyter console's
 * up-arrow and %history-style clients). Rows are {@code [session, line, input]} triples, or
 * {@code [session, line, [input, output]]} when the request asks for output, as the protocol says; output is
 * the text form of the cell's result, null when it had none. Input is kept as typed, so raw and "transformed"
 * input are the same (magics are not rewritten into Java).
 */
final class History {
    /** Jupyter numbers sessions; history is not kept across kernel starts, so this one is always the first. */
    static final int SESSION = 1;

    /** One history entry. */
    record Entry(int cell, String input, String output) {
        List<Object> row(boolean withOutput) {
            return withOutput ? List.of(SESSION, cell, Arrays.asList(input, output)) : List.of(SESSION, cell, input);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int cell, String input, String output) {
        entries.add(new Entry(cell, input, output));
    }

    /** The reply's rows for any of the three access types. */
    List<List<Object>> answer(HistoryRequest request) {
        List<Entry> found;
        if (request instanceof HistoryRequest.Tail t) {
            found = tail(t.getMaxReturnLength());
        } else if (request instanceof HistoryRequest.Range r) {
            found = isThisSession(r.getSessionIndex()) ? range(r.getStart(), r.getStop()) : List.of();
        } else if (request instanceof HistoryRequest.Search s) {
            found = search(s.getPattern(), s.getMaxReturnLength(), s.filterUnique());
        } else {
            found = List.of();
        }
        return found.stream().map(e -> e.row(request.includeOutput())).toList();
    }

    /** Session 0 is the current one, negative numbers count back to earlier ones (there are none). */
    static boolean isThisSession(int session) {
        return session == 0 || session == SESSION;
    }

    synchronized List<Entry> tail(int n) {
        return new ArrayList<>(entries.subList(Math.max(0, entries.size() - Math.max(0, n)), entries.size()));
    }

    /** Cells {@code start <= line < stop}; a stop of 0 or less means "to the end", as in IPython. */
    synchronized List<Entry> range(int start, int stop) {
        return entries.stream().filter(e -> e.cell() >= start && (stop <= 0 || e.cell() < stop)).toList();
    }

    synchronized List<Entry> search(String pattern, int n, boolean unique) {
        Pattern glob = Pattern.compile(globToRegex(pattern == null ? "*" : pattern), Pattern.DOTALL);
        List<Entry> matches = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (glob.matcher(e.input()).matches() && (!unique || seen.add(e.input()))) {
                matches.add(0, e);
            }
        }
        return n > 0 && matches.size() > n ? matches.subList(matches.size() - n, matches.size()) : matches;
    }

    /** IPython's history patterns: * and ? as in shell globs. */
    static String globToRegex(String glob) {
        StringBuilder out = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> out.append(".*");
                case '?' -> out.append('.');
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
