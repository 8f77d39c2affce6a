package frugal.core;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Device choice: the first GPU when the engine sees one, else the CPU. */
public final class Devices {
    private Devices() {}

    public static Device best() {
        return Engines.pytorch().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** A one-line description for notebook headers and benchmark reports. */
    public static String describe() {
        var engine = Engines.pytorch();
        Device d = best();
        return engine.getEngineName() + " " + engine.getVersion() + " on " + d
                + (d.isGpu() ? "" : " (" + Runtime.getRuntime().availableProcessors() + " cores)")
                + ", allocator " + allocator() + (d.isGpu() ? "" : ", MKL " + mklPaths());
    }

    /**
     * Which MKL kernels libtorch's matrix products get on the CPU: on an AMD CPU MKL keeps off its AVX-512 ones
     * unless the dispatch shim is preloaded (environment/mkl-intel-cpu.c, scripts/setup builds it).
     */
    public static String mklPaths() {
        String preload = System.getenv("LD_PRELOAD");
        if (preload != null && preload.contains("libmkl-intel-cpu")) {
            return "dispatch by CPU features (shim preloaded)";
        }
        return amdCpu() ? "vendor dispatch, no AVX-512 kernels on this AMD CPU (no shim: run scripts/setup)"
                : "vendor dispatch";
    }

    private static boolean amdCpu() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.anyMatch(l -> l.startsWith("vendor_id") && l.contains("AuthenticAMD"));
        } catch (IOException | UncheckedIOException e) {
            return false; // not Linux, or no /proc: say nothing about the vendor
        }
    }

    /** Which allocator this JVM was started with: tcmalloc when preloaded (design.md, Performance notes). */
    public static String allocator() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("tcmalloc") ? "tcmalloc" : "glibc malloc";
    }
}
