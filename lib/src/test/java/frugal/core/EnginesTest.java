package frugal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {
    @Test
    void engineStartsOfflineFromClassPathNatives() {
        var engine = Engines.pytorch();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        try (NDManager m = NDManager.newBaseManager(Devices.best())) {
            var x = m.create(new float[] {1, 2, 3});
            assertEquals(14f, x.mul(x).sum().getFloat(), 1e-6);
        }
        assertTrue(Devices.describe().startsWith("PyTorch 2.7.1"), Devices.describe());
    }
}
