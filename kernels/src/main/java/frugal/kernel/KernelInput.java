package frugal.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * System.in of user code: a line typed into the notebook's input box (Jupyter input_request),
 * or end of input when the frontend does not allow input (nbconvert, nbclient).
 */
final class KernelInput extends InputStream {
    private volatile ShellReplyEnvironment env;
    private volatile boolean allowed;
    private byte[] line = new byte[0];
    private int pos;

    void attach(ShellReplyEnvironment cell, boolean stdinAllowed) {
        env = cell;
        allowed = stdinAllowed;
    }

    void detach() {
        env = null;
    }

    @Override
    public synchronized int read() {
        if (pos >= line.length) {
            ShellReplyEnvironment e = env;
            if (e == null || !allowed) {
                return -1;
            }
            String typed = e.readFromStdIn("");
            if (typed == null) {
                return -1;
            }
            line = (typed + "\n").getBytes(StandardCharsets.UTF_8);
            pos = 0;
        }
        return line[pos++] & 0xFF;
    }
}
