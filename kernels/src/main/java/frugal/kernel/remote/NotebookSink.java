package frugal.kernel.remote;

import frugal.core.Display;

import java.util.Objects;
import java.util.UUID;

/**
 * The {@link Display.Sink} of a notebook: every shown value becomes a display frame with its own id,
 * and {@link Display.Handle#update(Object)} redraws that output in place.
 */
final class NotebookSink implements Display.Sink {
    private final Frames frames;

    NotebookSink(Frames frames) {
        this.frames = Objects.requireNonNull(frames, "frames");
    }

    @Override
    public Display.Handle show(Object value) {
        String id = UUID.randomUUID().toString();
        frames.send(Frames.Kind.DISPLAY, id, MimeRenderer.render(value));
        return new Handle(id);
    }

    @Override
    public boolean rich() {
        return true;
    }

    /** An output already in the notebook; {@code toString} names it for the curious. */
    private final class Handle implements Display.Handle {
        private final String id;

        Handle(String id) {
            this.id = id;
        }

        @Override
        public void update(Object value) {
            frames.send(Frames.Kind.UPDATE, id, MimeRenderer.render(value));
        }

        @Override
        public String toString() {
            return "display " + id;
        }
    }
}
