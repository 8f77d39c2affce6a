package frugal.dg;

import frugal.core.FrugalException;
import frugal.plot.Plots;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The environments of a domain-generalization benchmark and a description of how they were made (recorded in
 * every evaluation's provenance).
 *
 * @param description where the images come from and how they were dealt and transformed
 * @param domains the environments, {@code domains.get(i).index() == i}
 */
public record DomainSet(String description, List<Domain> domains) {
    public DomainSet {
        Objects.requireNonNull(description, "description");
        domains = List.copyOf(domains);
        if (domains.size() < 2) {
            throw new FrugalException("leave-one-domain-out needs at least 2 domains, got " + domains.size());
        }
        for (int i = 0; i < domains.size(); i++) {
            if (domains.get(i).index() != i) {
                throw new FrugalException("domain " + domains.get(i).name() + " has index " + domains.get(i).index()
                        + " but is at position " + i);
            }
            if (!domains.get(i).images().classNames().equals(domains.get(0).images().classNames())) {
                throw new FrugalException("domains " + domains.get(0).name() + " and " + domains.get(i).name()
                        + " have different classes");
            }
        }
    }

    public int size() {
        return domains.size();
    }

    public Domain get(int index) {
        return domains.get(index);
    }

    public List<String> names() {
        return domains.stream().map(Domain::name).toList();
    }

    public List<String> classNames() {
        return domains.get(0).images().classNames();
    }

    /** The first {@code perDomain} images of every domain, one row per domain, captioned with domain and class. */
    public BufferedImage exampleGrid(int perDomain) {
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (Domain d : domains) {
            for (int i = 0; i < perDomain; i++) {
                int[] p = d.images().pixels(i);
                float[] x = new float[p.length];
                for (int k = 0; k < p.length; k++) {
                    x[k] = p[k] / 255f;
                }
                images.add(x);
                captions.add(d.name() + " " + d.images().classNames().get(d.images().label(i)));
            }
        }
        Domain first = domains.get(0);
        return Plots.imageGrid(images.toArray(float[][]::new), 1, first.images().rows(), first.images().cols(),
                domains.size(), perDomain, captions);
    }

    @Override
    public String toString() {
        return description;
    }
}
