package frugal.distill;

import frugal.data.ImageSet;

/**
 * A distilled set and what it cost.
 *
 * @param method how it was made ("SRe2L", "CV-DD", ...)
 * @param ipc images per class
 * @param images the synthetic images, IPC-major (see {@link RealImages}), 8-bit like an exported set
 * @param initial the images recover started from (noise or real)
 * @param time wall and CPU time of the synthesis, initial ranking included
 * @param imageIterations sum over images of the iterations each was optimised
 * @param flatImageIterations the same for flat optimisation (every image, every iteration)
 * @param loss the recover loss at every iteration (summed over batches and committee members)
 */
public record Synthesis(String method, int ipc, ImageSet images, ImageSet initial, Clock.Elapsed time,
        long imageIterations, long flatImageIterations, double[] loss) {
    /** Fraction of image-iterations saved against flat optimisation (EarlyLate's saving; 0 when flat). */
    public double savedFraction() {
        return 1 - (double) imageIterations / flatImageIterations;
    }
}
