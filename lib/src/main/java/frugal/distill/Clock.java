package frugal.distill;

import java.lang.management.ManagementFactory;

/**
 * Wall and process CPU time since a start. On a shared machine the wall time depends on the neighbours;
 * the CPU time (all threads of this JVM, libtorch's included) does much less, so budgets are estimated
 * from both.
 */
public final class Clock {
    /** Seconds of wall time and of CPU time of this process. */
    public record Elapsed(double wallSeconds, double cpuSeconds) {
        public Elapsed plus(Elapsed other) {
            return new Elapsed(wallSeconds + other.wallSeconds, cpuSeconds + other.cpuSeconds);
        }
    }

    private final long wallStart;
    private final long cpuStart;

    private Clock() {
        wallStart = System.nanoTime();
        cpuStart = processCpuNanos();
    }

    public static Clock start() {
        return new Clock();
    }

    public Elapsed elapsed() {
        long cpu = processCpuNanos();
        return new Elapsed((System.nanoTime() - wallStart) / 1e9, cpu < 0 || cpuStart < 0 ? Double.NaN
                : (cpu - cpuStart) / 1e9);
    }

    /** CPU time of the whole process in ns, or -1 where the JVM does not report it. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
