package frugal.kernel;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code groupId:artifactId:version} coordinates with their runtime dependencies, from the
 * local Maven repository first and Maven Central for what is missing (Apache Maven Resolver, wired
 * by its supplier: no Maven installation, no dependency-injection container).
 *
 * @param localRepository the local repository (normally ~/.m2/repository)
 * @param offline         never contact Maven Central
 */
record MavenResolver(Path localRepository, boolean offline) {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    /** Set to true (or 1) to resolve from the local repository only. */
    static final String OFFLINE_ENV = "FRUGAL_OFFLINE";

    static MavenResolver fromEnvironment() {
        String repo = System.getProperty("maven.repo.local");
        Path local = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        String off = System.getenv(OFFLINE_ENV);
        return new MavenResolver(local, off != null && (off.equals("1") || off.equalsIgnoreCase("true")));
    }

    /** The jars of {@code coordinates} and their runtime dependencies, in class path order. */
    List<Path> resolve(String coordinates) throws DependencyResolutionException {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + coordinates + "' is not groupId:artifactId:version"
                    + " (or groupId:artifactId:extension:classifier:version)");
        }
        RepositorySystem system = new RepositorySystemSupplier().get();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
        session.setOffline(offline);
        // POM profiles activate on the JDK version and OS, as in a Maven build
        session.setSystemProperties(System.getProperties());
        session.setConfigProperty("aether.connector.connectTimeout", 15_000);
        RemoteRepository central = new RemoteRepository.Builder("central", "default", CENTRAL).build();
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), List.of(central));
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
            if (r.getArtifact() != null && r.getArtifact().getFile() != null) {
                jars.add(r.getArtifact().getFile().toPath());
            }
        }
        system.shutdown();
        return jars;
    }
}
