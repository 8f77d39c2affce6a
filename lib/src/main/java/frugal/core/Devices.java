package frugal.core;

import ai.djl.Device;

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
                + ", allocator " + allocator();
    }

    /** Which allocator this JVM was started with: tcmalloc when preloaded (design.md, Performance notes). */
    public static String allocator() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains("tcmalloc") ? "tcmalloc" : "glibc malloc";
    }
}
