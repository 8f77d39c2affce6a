package frugal.core;

import java.util.Objects;

/**
 * Where rich output goes: a notebook when the Frugal kernel installed its sink, else the terminal.
 *
 * <p>Library code (progress bars, live loss charts) calls {@link #show(Object)} once and then
 * {@link Handle#update(Object)} on the handle it got, so a notebook redraws one output in place
 * instead of printing a new one per step.
 */
public final class Display {
    /** Renders objects somewhere; the kernel installs one that sends MIME bundles to Jupyter. */
    public interface Sink {
        Handle show(Object value);

        /** True when the sink can draw images and HTML (a notebook), false for a terminal. */
        boolean rich();
    }

    /** An output already shown, to be replaced in place. */
    public interface Handle {
        void update(Object value);
    }

    private static volatile Sink sink = new TerminalSink();

    private Display() {}

    /** Installs {@code s} and returns the sink it replaces, so a caller can put that one back. */
    public static Sink install(Sink s) {
        Sink previous = sink;
        sink = Objects.requireNonNull(s, "sink");
        return previous;
    }

    public static Handle show(Object value) {
        return sink.show(value);
    }

    public static boolean rich() {
        return sink.rich();
    }

    /** Terminal fallback: text in place with a carriage return; anything else by toString. */
    static final class TerminalSink implements Sink {
        @Override
        public Handle show(Object value) {
            print(value, false);
            return v -> print(v, true);
        }

        @Override
        public boolean rich() {
            return false;
        }

        private static void print(Object value, boolean replace) {
            String text = value instanceof Html h ? h.text() : String.valueOf(value);
            if (replace) {
                System.err.print("\r" + text);
            } else {
                System.err.print(text.endsWith("\n") ? text : text + "\n");
            }
            System.err.flush();
        }
    }
}
