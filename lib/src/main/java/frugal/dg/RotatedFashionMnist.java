package frugal.dg;

import frugal.core.FrugalException;
import frugal.data.FashionMnist;
import frugal.data.ImageSet;
import frugal.data.Normalization;
import frugal.data.Shuffle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * "Rotated Fashion-MNIST": DomainBed's RotatedMNIST protocol on Fashion-MNIST. All 70,000 images (train and
 * test files together) are shuffled by a seed; with k angles, environment i gets the shuffled images
 * {@code i, i + k, i + 2k, ...} rotated by angle i. Pixels are in [0, 1] as in DomainBed. Each environment is
 * rotated once, when it is built, and kept.
 */
public final class RotatedFashionMnist {
    private RotatedFashionMnist() {}

    /**
     * Which environments to build.
     *
     * @param angles one environment per angle, in degrees, in this order; distinct
     * @param seed the shuffle that deals images to environments
     */
    public record Config(List<Double> angles, long seed) {
        public Config {
            angles = List.copyOf(angles);
            if (angles.isEmpty()) {
                throw new FrugalException("Rotated Fashion-MNIST needs at least one angle");
            }
            if (new HashSet<>(angles).size() != angles.size()) {
                throw new FrugalException("Rotated Fashion-MNIST angles must be distinct, got " + angles);
            }
            for (double a : angles) {
                if (!Double.isFinite(a)) {
                    throw new FrugalException("Rotated Fashion-MNIST angles must be finite, got " + angles);
                }
            }
        }

        /** DomainBed's six angles, 0 to 75 degrees in steps of 15, shuffle seed 0. */
        public static Config domainBed() {
            return new Config(List.of(0.0, 15.0, 30.0, 45.0, 60.0, 75.0), 0);
        }
    }

    /** The environments of {@code config} from Fashion-MNIST (Debian's dataset-fashion-mnist). */
    public static DomainSet load(Config config) {
        return build(allImages(FashionMnist.load()), config);
    }

    /** Train and test images of Fashion-MNIST in one set, pixels in [0, 1]. */
    public static ImageSet allImages(FashionMnist data) {
        ImageSet train = data.train();
        ImageSet test = data.test();
        int n = train.rows() * train.cols();
        byte[] pixels = new byte[(train.size() + test.size()) * n];
        int[] labels = new int[train.size() + test.size()];
        int i = 0;
        for (ImageSet part : List.of(train, test)) {
            for (int j = 0; j < part.size(); j++, i++) {
                int[] p = part.pixels(j);
                for (int k = 0; k < n; k++) {
                    pixels[i * n + k] = (byte) p[k];
                }
                labels[i] = part.label(j);
            }
        }
        return ImageSet.of("Fashion-MNIST (train + test)", train.rows(), train.cols(), pixels, labels,
                train.classNames(), Normalization.UNIT);
    }

    /** The environments of {@code config} dealt from {@code source} (any image set; tests use tiny ones). */
    public static DomainSet build(ImageSet source, Config config) {
        int k = config.angles().size();
        if (source.size() < k) {
            throw new FrugalException(source.name() + " has " + source.size() + " images, fewer than the " + k
                    + " environments asked for");
        }
        int[] order = Shuffle.permutation(source.size(), config.seed());
        List<Domain> domains = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int[] members = new int[(source.size() - i + k - 1) / k];
            for (int j = 0; j < members.length; j++) {
                members[j] = order[i + j * k];
            }
            double angle = config.angles().get(i);
            String name = angleName(angle);
            ImageSet rotated = Rotation.rotate(source.subset(members), angle, source.name() + " rotated " + name);
            domains.add(new Domain(i, name, angle, rotated, members));
        }
        String description = String.format(Locale.ROOT, "%s, %d images dealt by shuffle seed %d into %d domains"
                + " rotated by %s degrees (bilinear, fill 0)", source.name(), source.size(), config.seed(), k,
                config.angles());
        return new DomainSet(description, domains);
    }

    private static String angleName(double angle) {
        return (angle == Math.rint(angle) ? String.valueOf((long) angle) : String.format(Locale.ROOT, "%.1f", angle))
                + "\u00b0";
    }
}
