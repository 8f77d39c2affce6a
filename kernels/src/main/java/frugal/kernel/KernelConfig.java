package frugal.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the kernel finds what it needs, all written by the build into its folder (kernels/target):
 * the class path of the JVM that runs user code, the startup imports, and that JVM's options.
 *
 * @param home          the kernel's build folder
 * @param java          the java launcher for the user's JVM (the kernel's own)
 * @param userClassPath class path of the user's JVM: library, natives, display agent
 * @param startup       startup snippets (imports), one per element
 * @param jvmOptions    options of the user's JVM, class path excluded
 */
record KernelConfig(Path home, Path java, List<String> userClassPath, List<String> startup, List<String> jvmOptions) {
    /** Extra options for the user's JVM, whitespace separated (environment/frugal.env sets it). */
    static final String JAVA_OPTS_ENV = "FRUGAL_JAVA_OPTS";

    KernelConfig {
        if (!Files.isRegularFile(java)) {
            throw new IllegalArgumentException("no java launcher at " + java);
        }
        if (userClassPath.isEmpty()) {
            throw new IllegalArgumentException("the user class path is empty: rebuild the kernel (mvn install)");
        }
        userClassPath = List.copyOf(userClassPath);
        startup = List.copyOf(startup);
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** Reads the files the build wrote into {@code home} (see {@link LaunchFiles}). */
    static KernelConfig load(Path home, Map<String, String> env) {
        try {
            List<String> cp = LaunchFiles.readClassPath(home.resolve(LaunchFiles.USER_CLASSPATH));
            List<String> startup = Files.readAllLines(home.resolve(LaunchFiles.STARTUP_FILE), StandardCharsets.UTF_8)
                    .stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//")).toList();
            List<String> options = new ArrayList<>(List.of(
                    "-Dai.djl.offline=true",
                    "-Djava.awt.headless=true",
                    "-Dfile.encoding=UTF-8",
                    "-Xss4m",
                    // safepoint polls inside counted loops too, so an interrupt reaches every busy loop
                    "-XX:+UseCountedLoopSafepoints",
                    "-XX:LoopStripMiningIter=1000"));
            String extra = env.getOrDefault(JAVA_OPTS_ENV, "").strip();
            if (!extra.isEmpty()) {
                options.addAll(Arrays.asList(extra.split("\\s+")));
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            return new KernelConfig(home, java, cp, startup, options);
        } catch (IOException e) {
            throw new IllegalStateException("the kernel's build files in " + home + " are missing or unreadable ("
                    + e.getMessage() + "); rebuild with `mvn install -DskipTests` and rerun scripts/install-kernel", e);
        }
    }

    String userClassPathString() {
        return String.join(File.pathSeparator, userClassPath);
    }
}
