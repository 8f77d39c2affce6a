package frugal.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import frugal.core.FrugalException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Per-parameter state arrays (Adam moments, momentum buffers) and the step count, on one manager, with a
 * save format that names each parameter so a mismatch is reported, not silently misapplied.
 */
final class OptimizerState implements AutoCloseable {
    private final NDManager manager;
    private final List<TrainableParams.Entry> entries;
    private final String kind;
    private final NDArray[][] slots;
    private long steps;

    OptimizerState(TrainableParams params, String kind, int slotCount) {
        this.entries = params.entries();
        this.kind = kind;
        this.manager = entries.get(0).array().getManager().newSubManager();
        this.slots = new NDArray[entries.size()][slotCount];
        for (int i = 0; i < entries.size(); i++) {
            NDArray p = entries.get(i).array();
            for (int s = 0; s < slotCount; s++) {
                slots[i][s] = manager.zeros(p.getShape(), p.getDataType(), p.getDevice());
            }
        }
    }

    NDArray slot(int entry, int slot) {
        return slots[entry][slot];
    }

    long steps() {
        return steps;
    }

    /** Bytes held by the state arrays (elements times element size). */
    long bytes() {
        long n = 0;
        for (NDArray[] perParam : slots) {
            for (NDArray a : perParam) {
                n += a.size() * a.getDataType().getNumOfBytes();
            }
        }
        return n;
    }

    /** Counts one more update and returns the new count. */
    long advance() {
        return ++steps;
    }

    void save(DataOutputStream out) throws IOException {
        out.writeUTF(kind);
        out.writeLong(steps);
        out.writeInt(entries.size());
        out.writeInt(slots.length == 0 ? 0 : slots[0].length);
        for (int i = 0; i < entries.size(); i++) {
            out.writeUTF(entries.get(i).path());
            for (NDArray a : slots[i]) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    void load(DataInputStream in) throws IOException {
        String savedKind = in.readUTF();
        if (!savedKind.equals(kind)) {
            throw new FrugalException("the saved optimiser state is " + savedKind + " but this optimiser is " + kind
                    + ": resume with the optimiser the checkpoint was written with");
        }
        long savedSteps = in.readLong();
        int count = in.readInt();
        int slotCount = in.readInt();
        if (count != entries.size() || slotCount != (slots.length == 0 ? 0 : slots[0].length)) {
            throw new FrugalException("the saved " + kind + " state has " + count + " parameters x " + slotCount
                    + " buffers, this optimiser has " + entries.size() + " x " + (slots.length == 0 ? 0 : slots[0].length)
                    + ": the checkpoint was written for a different model or optimiser setting");
        }
        NDArray[][] loaded = new NDArray[count][slotCount];
        for (int i = 0; i < count; i++) {
            String path = in.readUTF();
            TrainableParams.Entry e = entries.get(i);
            if (!path.equals(e.path())) {
                throw new FrugalException("the saved " + kind + " state holds parameter " + path + " where the model has "
                        + e.path() + ": the checkpoint was written for a different model");
            }
            for (int s = 0; s < slotCount; s++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                NDArray a = manager.decode(bytes).toDevice(e.array().getDevice(), false);
                if (!a.getShape().equals(e.array().getShape())) {
                    throw new FrugalException("the saved " + kind + " state of " + path + " has shape " + a.getShape()
                            + " but the parameter has " + e.array().getShape());
                }
                loaded[i][s] = a;
            }
        }
        for (int i = 0; i < count; i++) {
            for (int s = 0; s < slotCount; s++) {
                slots[i][s].close();
                slots[i][s] = loaded[i][s];
            }
        }
        steps = savedSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
