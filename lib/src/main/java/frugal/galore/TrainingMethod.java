package frugal.galore;

import frugal.core.FrugalException;
import java.util.Locale;

/**
 * One way of training in notebook 07: full-rank AdamW, GaLore at rank r with subspace refresh every T steps
 * ({@link GaLore#NEVER} for a fixed one), or LoRA adapters of rank r on the block Linears.
 *
 * @param rank r for GaLore and LoRA (0 for AdamW)
 * @param updateGap GaLore's T (0 otherwise)
 */
public record TrainingMethod(Kind kind, int rank, int updateGap) {
    public enum Kind {
        ADAMW,
        GALORE,
        LORA
    }

    public TrainingMethod {
        if (kind == null) {
            throw new FrugalException("a method needs a kind");
        }
        if ((kind == Kind.ADAMW) != (rank == 0)) {
            throw new FrugalException("AdamW has no rank, GaLore and LoRA need one >= 1; got " + kind + " rank " + rank);
        }
        if (updateGap < 0 || kind != Kind.GALORE && updateGap != 0) {
            throw new FrugalException("only GaLore has an update gap T (>= 1, or GaLore.NEVER); got " + kind + " T "
                    + updateGap);
        }
    }

    public static TrainingMethod adamW() {
        return new TrainingMethod(Kind.ADAMW, 0, 0);
    }

    public static TrainingMethod galore(int rank, int updateGap) {
        return new TrainingMethod(Kind.GALORE, rank, updateGap);
    }

    public static TrainingMethod lora(int rank) {
        return new TrainingMethod(Kind.LORA, rank, 0);
    }

    /** "AdamW", "GaLore r 32 T 50", "GaLore r 32 fixed P", "LoRA r 32". */
    public String label() {
        return switch (kind) {
            case ADAMW -> "AdamW";
            case GALORE -> String.format(Locale.ROOT, "GaLore r %d %s", rank,
                    updateGap == GaLore.NEVER ? "fixed P" : "T " + updateGap);
            case LORA -> "LoRA r " + rank;
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
