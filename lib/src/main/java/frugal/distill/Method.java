package frugal.distill;

/** The rows of the accuracy table: two baselines of real images and four distillation methods. */
public enum Method {
    /** Random real images, trained with their hard labels. */
    RANDOM_HARD("random (hard)", false),
    /** The same random real images with the soft-label protocol of SRe2L++. */
    RANDOM_SOFT("random (soft)", false),
    /** Noise init, roll only, soft labels from the teacher in eval mode. */
    SRE2L("SRe2L", true),
    /** Real medium init, crops, batch-specific soft labels. */
    SRE2L_PP("SRe2L++", true),
    /** SRe2L++ with a committee: pairs of members per image, committee soft labels. */
    CV_DD("CV-DD", true),
    /** SRe2L++ with EarlyLate rounds and easy-to-hard crops. */
    DELT("DELT", true);

    private final String label;
    private final boolean synthetic;

    Method(String label, boolean synthetic) {
        this.label = label;
        this.synthetic = synthetic;
    }

    /** The name in tables and charts. */
    public String label() {
        return label;
    }

    /** Whether its images are recovered (true) or real (false). */
    public boolean synthetic() {
        return synthetic;
    }
}
