package frugal.sweep;

import frugal.core.FrugalException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * One training run: a configuration in, what it measured out. Throwing marks the run as failed (after the
 * sweep's retries); it never stops the other runs.
 *
 * <p>Worker JVMs and Spark executors create the function from its class name, so there it must be a public
 * top-level (or static nested) class with a public no-argument constructor, and everything a run needs must come
 * from the configuration. A lambda works with {@link LocalExecutor#inProcess()} only. A run should be a pure
 * function of its configuration: seed everything from it (the Trainer seeds per step from
 * {@code TrainConfig.withSeed}).
 */
@FunctionalInterface
public interface RunFunction {
    Metrics run(RunConfig config) throws Exception;

    /**
     * The class name other JVMs create {@code fn} from; a clear error when they cannot (a lambda, an anonymous,
     * local or inner class, or no public no-argument constructor).
     */
    static String className(RunFunction fn) {
        Class<?> c = fn.getClass();
        String problem = null;
        if (c.isSynthetic() || c.getName().contains("$$Lambda") || c.isAnonymousClass() || c.isLocalClass()) {
            problem = "is a lambda or an anonymous or local class";
        } else if (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())) {
            problem = "is an inner (non-static) class";
        } else if (!Modifier.isPublic(c.getModifiers())) {
            problem = "is not public";
        } else {
            try {
                Constructor<?> k = c.getConstructor();
                if (!Modifier.isPublic(k.getModifiers())) {
                    problem = "has no public no-argument constructor";
                }
            } catch (NoSuchMethodException e) {
                problem = "has no public no-argument constructor";
            }
        }
        if (problem != null) {
            throw new FrugalException("the run function " + c.getName() + " " + problem + ", but this executor creates"
                    + " it by class name in other JVMs. Write it as a public class with a public no-argument"
                    + " constructor that reads everything from the RunConfig, or run in this JVM with"
                    + " LocalExecutor.inProcess().");
        }
        return c.getName();
    }

    /** Creates a run function from its class name, with the thread's context class loader (Spark's user jar). */
    static RunFunction byName(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> c = Class.forName(className, true, loader != null ? loader : RunFunction.class.getClassLoader());
            if (!RunFunction.class.isAssignableFrom(c)) {
                throw new FrugalException(className + " does not implement frugal.sweep.RunFunction");
            }
            return (RunFunction) c.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new FrugalException("run function class " + className + " is not on the class path of this JVM;"
                    + " put it in the library or in the job jar (scripts/sweep-spark builds it)", e);
        } catch (ReflectiveOperationException e) {
            throw new FrugalException("could not create run function " + className + " with its public no-argument"
                    + " constructor: " + e, e);
        }
    }
}
