package frugal.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import sun.misc.Signal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Starts the kernel for a Jupyter connection file: {@code java @kernels/target/kernel.args <connection file>}
 * (that is what the installed kernelspec runs).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java @kernels/target/kernel.args <connection file>");
            System.exit(2);
        }
        String home = System.getProperty(LaunchFiles.HOME_PROPERTY);
        if (home == null) {
            System.err.println("-D" + LaunchFiles.HOME_PROPERTY + " is not set: start the kernel with @kernels/target/kernel.args");
            System.exit(2);
        }
        WireDates.install(System.err);
        KernelConnectionProperties connection = KernelConnectionProperties.parse(
                Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        FrugalKernel kernel = FrugalKernel.create(KernelConfig.load(Path.of(home), System.getenv()), System.err);
        JupyterConnection jupyter = new Connection(connection);
        kernel.becomeHandlerForConnection(jupyter);
        // interrupt_mode "signal" frontends, and Ctrl-C in a terminal, stop the cell, not the kernel
        Signal.handle(new Signal("INT"), s -> kernel.interrupt());
        Runtime.getRuntime().addShutdownHook(new Thread(kernel::closeSession, "frugal-kernel-exit"));
        jupyter.connect();
        kernel.onStartup();
        jupyter.waitUntilClose();
        kernel.closeSession();
        System.exit(0);
    }

    /**
     * jjava's connection, except for the "starting" status it publishes once when the sockets are bound:
     * jjava 1.0-a6 builds that header without a session, which the protocol requires; this one has the
     * kernel's session id.
     */
    private static final class Connection extends JupyterConnection {
        private final KernelConnectionProperties properties;

        Connection(KernelConnectionProperties properties) throws java.security.GeneralSecurityException {
            super(properties);
            this.properties = properties;
        }

        @Override
        public void connect() {
            for (JupyterSocket s : List.of(heartbeat, shell, control, stdin, iopub)) {
                s.bind(properties);
            }
            iopub.sendMessage(new Message<>(new Header<>(UUID.randomUUID().toString(), Header.KERNEL_USERNAME,
                    UUID.randomUUID().toString(), KernelTimestamp.now(), PublishStatus.MESSAGE_TYPE,
                    Header.PROTOCOL_VERISON), PublishStatus.STARTING));
        }
    }
}
