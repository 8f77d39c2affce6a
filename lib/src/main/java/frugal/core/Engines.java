package frugal.core;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;

/**
 * Starts DJL's PyTorch engine from the natives on the class path, never from DJL's downloader.
 *
 * <p>Offline mode is switched on before the engine is first touched, so a missing native library is
 * an immediate error that says how to fix it, not a hang on a network call.
 */
public final class Engines {
    private static volatile Engine engine;

    private Engines() {}

    /** The PyTorch engine, started once; offline unless the caller set {@code ai.djl.offline}. */
    public static Engine pytorch() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (Engines.class) {
            if (engine == null) {
                engine = start();
            }
            return engine;
        }
    }

    private static Engine start() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // DJL probes CUDA at start-up; keep that quiet on CPU-only machines
        if (System.getProperty("ai.djl.default_engine") == null) {
            System.setProperty("ai.djl.default_engine", "PyTorch");
        }
        try {
            return Engine.getEngine("PyTorch");
        } catch (EngineException | IllegalArgumentException e) {
            throw new FrugalException(
                    "The PyTorch engine could not start: " + rootMessage(e) + ". Frugal expects libtorch on the"
                            + " class path (ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64, added by"
                            + " lib/pom.xml) and never downloads it. Rebuild with `mvn -o install -DskipTests` or"
                            + " run scripts/setup; for a GPU see README section 'GPU'.",
                    e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }
}
