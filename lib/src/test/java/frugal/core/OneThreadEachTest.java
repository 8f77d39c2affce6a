package frugal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OneThreadEachTest {
    /** A task that seeds, draws (under the generator's lock, as a model's initialisation does) and computes. */
    private static Callable<float[]> draw(long seed) {
        return () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x;
                synchronized (Seeds.ENGINE_GENERATOR) {
                    Seeds.set(seed);
                    x = m.randomNormal(new Shape(64, 64));
                }
                return x.matMul(x).tanh().toFloatArray();
            }
        };
    }

    @Test
    void resultsComeInTaskOrderAndDoNotDependOnTheWorkers() {
        List<Callable<float[]>> tasks = IntStream.range(0, 6).mapToObj(i -> draw(100 + i)).toList();
        List<float[]> one = OneThreadEach.run(tasks, 1);
        List<float[]> two = OneThreadEach.run(tasks, 2);
        List<float[]> three = OneThreadEach.run(tasks, 3);
        for (int i = 0; i < tasks.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), "task " + i);
            assertArrayEquals(one.get(i), three.get(i), "task " + i);
        }
        assertTrue(one.get(0)[0] != one.get(1)[0], "different seeds draw different numbers");
    }

    @Test
    void eachTaskRunsOnOnePyTorchThreadAndTheCountIsPutBack() {
        Engines.pytorch();
        int before = JniUtils.getNumThreads();
        List<Integer> seen = OneThreadEach.run(List.of(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                m.ones(new Shape(256, 256)).matMul(m.ones(new Shape(256, 256))).sum().getFloat();
            }
            return JniUtils.getNumThreads();
        }, () -> JniUtils.getNumThreads()), 2);
        assertEquals(List.of(1, 1), seen);
        assertEquals(before, JniUtils.getNumThreads());
    }

    @Test
    void aFailingTaskIsRethrownAfterTheOthersEnd() {
        IllegalStateException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(IllegalStateException.class, () -> OneThreadEach.run(List.of(
                () -> 1, () -> {
                    throw boom;
                }, () -> 3), 2));
        assertSame(boom, thrown);
        assertThrows(FrugalException.class, () -> OneThreadEach.run(List.of(() -> 1), 0));
    }
}
