package frugal.train;

import java.nio.file.Path;

/**
 * Where and how often the loop writes checkpoints.
 *
 * @param dir the folder (created when needed); null when checkpoints are off
 * @param every write after every {@code every} steps and after the last step; 0 when off
 * @param keep how many of the newest checkpoints to keep (older ones are deleted)
 */
public record CheckpointPolicy(Path dir, int every, int keep) {
    /** No checkpoints. */
    public static final CheckpointPolicy NONE = new CheckpointPolicy(null, 0, 1);

    public CheckpointPolicy {
        if ((dir == null) != (every == 0)) {
            throw new IllegalArgumentException("checkpoints need both a folder and every > 0 (or neither), got dir="
                    + dir + ", every=" + every);
        }
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint every must be >= 0, got " + every);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
    }

    /** Every {@code every} steps into {@code dir}, keeping the newest 3. */
    public static CheckpointPolicy every(Path dir, int every) {
        return new CheckpointPolicy(dir, every, 3);
    }

    public boolean enabled() {
        return dir != null;
    }
}
