package frugal.kernel;

import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cells run since the kernel started, for history requests (jupyter console's up-arrow).
 * Replies carry {@code [session, line, input]} triples, as the protocol asks.
 */
final class History {
    /** Jupyter numbers sessions; this kernel keeps only its current one. */
    static final int SESSION = 1;

    /** One history entry. */
    record Entry(int cell, String input) {
        List<Object> triple() {
            return List.of(SESSION, cell, input);
        }
    }

    /** The history_reply content. */
    static final class Reply implements ContentType<Reply>, ReplyType<HistoryRequest> {
        @SuppressWarnings("unused") // serialized
        private final String status = "ok";
        @SuppressWarnings("unused") // serialized
        private final List<List<Object>> history;

        Reply(List<Entry> entries) {
            this.history = entries.stream().map(Entry::triple).toList();
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public MessageType<Reply> getType() {
            return (MessageType) MessageType.HISTORY_REPLY;
        }

        @Override
        public MessageType<HistoryRequest> getRequestType() {
            return MessageType.HISTORY_REQUEST;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int cell, String input) {
        entries.add(new Entry(cell, input));
    }

    synchronized List<Entry> answer(HistoryRequest request) {
        if (request instanceof HistoryRequest.Tail t) {
            return tail(t.getMaxReturnLength());
        }
        if (request instanceof HistoryRequest.Range r) {
            return range(r.getStart(), r.getStop());
        }
        if (request instanceof HistoryRequest.Search s) {
            return search(s.getPattern(), s.getMaxReturnLength(), s.filterUnique());
        }
        return List.of();
    }

    synchronized List<Entry> tail(int n) {
        return new ArrayList<>(entries.subList(Math.max(0, entries.size() - Math.max(0, n)), entries.size()));
    }

    synchronized List<Entry> range(int start, int stop) {
        return entries.stream().filter(e -> e.cell() >= start && (stop <= 0 || e.cell() < stop)).toList();
    }

    synchronized List<Entry> search(String pattern, int n, boolean unique) {
        Pattern glob = Pattern.compile(globToRegex(pattern), Pattern.DOTALL);
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
