package frugal.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import sun.misc.Signal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        KernelConnectionProperties connection = KernelConnectionProperties.parse(
                Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        FrugalKernel kernel = FrugalKernel.create(KernelConfig.load(Path.of(home), System.getenv()), System.err);
        JupyterConnection jupyter = new JupyterConnection(connection);
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
}
