package frugal.core;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test class that needs the PyTorch engine and a fresh NDManager per test, closed after it. */
public abstract class TorchTest {
    protected NDManager manager;

    @BeforeEach
    void openManager() {
        Engines.pytorch();
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }
}
