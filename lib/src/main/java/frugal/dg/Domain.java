package frugal.dg;

import frugal.core.FrugalException;
import frugal.data.ImageSet;
import frugal.data.Split;
import java.util.Objects;

/**
 * One environment of a domain-generalization benchmark: its images and where they came from.
 *
 * @param index position in the benchmark's domain list
 * @param name shown in tables and charts, e.g. "30°"
 * @param angle the rotation applied to every image, in degrees
 * @param images the rotated images
 * @param sourceIndices for each image, its index in the source set it was drawn from
 */
public record Domain(int index, String name, double angle, ImageSet images, int[] sourceIndices) {
    public Domain {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(sourceIndices, "sourceIndices");
        if (sourceIndices.length != images.size()) {
            throw new FrugalException("domain " + name + ": " + images.size() + " images but " + sourceIndices.length
                    + " source indices");
        }
    }

    /**
     * DomainBed's in / out split of this environment: {@code inFraction} of the images (chosen by
     * {@code seed}) in {@link Split#train()} to train on or to test with, the rest in {@link Split#val()}
     * for model selection.
     */
    public Split<ImageSet> split(double inFraction, long seed) {
        return images.split(inFraction, seed);
    }

    @Override
    public String toString() {
        return "domain " + index + " (" + name + "): " + images.size() + " images";
    }
}
