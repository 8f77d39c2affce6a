package frugal.kernel;

import frugal.kernel.remote.MimeBundle;
import org.eclipse.aether.resolution.DependencyResolutionException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernel's magics. Line magics ({@code %name args}, a line of their own, anywhere in a cell):
 * {@code %classpath} / {@code %jars} (paths or globs), {@code %maven} (coordinates, with their
 * dependencies), {@code %time} (a statement or expression), {@code %sh} (a shell command). Cell
 * magics ({@code %%name} on the first line): {@code %%time}, {@code %%sh} / {@code %%shell}.
 */
final class Magics {
    /** What a magic may do in the cell it runs in. */
    interface Context {
        /** Runs Java code that starts at {@code offset} in the cell; returns the value to show, or null. */
        MimeBundle runCode(int offset, String code) throws CellError.Failure;

        Session session();

        OutputRouter output();
    }

    static final Set<String> LINE = new TreeSet<>(List.of("classpath", "jars", "maven", "sh", "time"));
    static final Set<String> CELL = new TreeSet<>(List.of("sh", "shell", "time"));

    private final MavenResolver maven;
    private volatile Process shell;

    Magics(MavenResolver maven) {
        this.maven = maven;
    }

    MimeBundle line(String name, String args, int offset, Context ctx) throws CellError.Failure {
        return switch (name) {
            case "classpath", "jars" -> {
                classpath(args, ctx);
                yield null;
            }
            case "maven" -> {
                maven(args, ctx);
                yield null;
            }
            case "time" -> time(offset, args, ctx);
            case "sh" -> {
                shell(args, ctx);
                yield null;
            }
            default -> throw unknown("%" + name);
        };
    }

    MimeBundle cell(String name, String args, String body, int offset, Context ctx) throws CellError.Failure {
        return switch (name) {
            case "time" -> time(offset, body, ctx);
            case "sh", "shell" -> {
                shell(args.isEmpty() ? body : args + "\n" + body, ctx);
                yield null;
            }
            default -> throw unknown("%%" + name);
        };
    }

    /** Ends a running %sh command. */
    void interrupt() {
        Process p = shell;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static CellError.Failure unknown(String magic) {
        return CellError.simple("UnknownMagic", magic + " is not a Frugal kernel magic",
                "line magics: " + LINE.stream().map(m -> "%" + m).collect(Collectors.joining(" ")),
                "cell magics: " + CELL.stream().map(m -> "%%" + m).collect(Collectors.joining(" "))).toFailure();
    }

    private void classpath(String args, Context ctx) throws CellError.Failure {
        if (args.isBlank()) {
            ctx.output().print(false, "class path added in this session:\n"
                    + ctx.session().addedClassPath().stream().map(p -> "  " + p + "\n").collect(Collectors.joining()));
            return;
        }
        List<String> added = new ArrayList<>();
        for (String pattern : args.strip().split("\\s+")) {
            List<Path> found = expand(pattern);
            if (found.isEmpty()) {
                throw CellError.simple("ClasspathError", "nothing matches " + pattern,
                        "paths are relative to the kernel's folder " + Path.of("").toAbsolutePath()).toFailure();
            }
            for (Path p : found) {
                added.addAll(add(ctx, p));
            }
        }
        ctx.output().print(false, added.isEmpty() ? "already on the class path\n"
                : "added to the class path: " + String.join(", ", added) + "\n");
    }

    /** A path, or a glob such as {@code lib/*.jar} or {@code deps/**.jar}, relative to the working folder. */
    static List<Path> expand(String pattern) throws CellError.Failure {
        String p = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        if (!p.matches(".*[*?\\[{].*")) {
            Path path = Path.of(p).toAbsolutePath().normalize();
            return Files.exists(path) ? List.of(path) : List.of();
        }
        String[] parts = p.split("/", -1);
        StringBuilder root = new StringBuilder(p.startsWith("/") ? "/" : "");
        int firstGlob = 0;
        while (firstGlob < parts.length && !parts[firstGlob].matches(".*[*?\\[{].*")) {
            if (!parts[firstGlob].isEmpty()) {
                root.append(parts[firstGlob]).append('/');
            }
            firstGlob++;
        }
        Path base = Path.of(root.length() == 0 ? "." : root.toString()).toAbsolutePath().normalize();
        String rest = String.join("/", List.of(parts).subList(firstGlob, parts.length));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.length - firstGlob;
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(base, depth)) {
            return walk.filter(f -> !f.equals(base) && matcher.matches(base.relativize(f))).sorted().toList();
        } catch (IOException e) {
            throw CellError.simple("ClasspathError", "could not list " + base + ": " + e.getMessage()).toFailure();
        }
    }

    private static List<String> add(Context ctx, Path path) {
        String entry = path.toString();
        if (ctx.session().classPath().contains(entry)) {
            return List.of();
        }
        ctx.session().addToClasspath(entry);
        return List.of(path.getFileName().toString());
    }

    private void maven(String args, Context ctx) throws CellError.Failure {
        if (args.isBlank()) {
            throw CellError.simple("MavenError", "%maven needs coordinates, e.g. %maven org.apache.commons:commons-math3:3.6.1").toFailure();
        }
        for (String coordinates : args.strip().split("\\s+")) {
            List<Path> jars;
            try {
                jars = maven.resolve(coordinates);
            } catch (DependencyResolutionException | IllegalArgumentException e) {
                throw CellError.simple("MavenError", "could not resolve " + coordinates + ": " + rootMessage(e),
                        "looked in " + maven.localRepository() + (maven.offline() ? " only (" + MavenResolver.OFFLINE_ENV
                                + " is set)" : " and " + MavenResolver.CENTRAL)).toFailure();
            }
            List<String> added = new ArrayList<>();
            Set<String> present = ctx.session().classPath().stream()
                    .map(e -> Path.of(e).getFileName().toString()).collect(Collectors.toSet());
            for (Path jar : jars) {
                if (!present.contains(jar.getFileName().toString())) {
                    added.addAll(add(ctx, jar));
                }
            }
            ctx.output().print(false, coordinates + ": " + (added.isEmpty() ? "already on the class path"
                    : added.size() + " jar(s) added to the class path (" + String.join(", ", added) + ")") + "\n");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + r.getMessage() + ")";
    }

    private static MimeBundle time(int offset, String code, Context ctx) throws CellError.Failure {
        Duration cpuBefore = ctx.session().cpuTime();
        long start = System.nanoTime();
        MimeBundle result = ctx.runCode(offset, code);
        long wall = System.nanoTime() - start;
        Duration cpuAfter = ctx.session().cpuTime();
        String cpu = cpuBefore == null || cpuAfter == null ? ""
                : " (CPU time of the Java process running your code, all threads: " + seconds(cpuAfter.minus(cpuBefore).toNanos()) + ")";
        ctx.output().print(false, "Wall time: " + seconds(wall) + cpu + "\n");
        return result;
    }

    static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s >= 1 ? String.format(Locale.ROOT, "%.2f s", s) : String.format(Locale.ROOT, "%.1f ms", s * 1e3);
    }

    private void shell(String script, Context ctx) throws CellError.Failure {
        String sh = Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
        Process p;
        try {
            p = new ProcessBuilder(sh, "-c", script).start();
        } catch (IOException e) {
            throw CellError.simple("ShellError", "could not start " + sh + ": " + e.getMessage()).toFailure();
        }
        shell = p;
        try {
            p.getOutputStream().close();
            Thread err = copy(p.getErrorStream(), true, ctx.output());
            copy(p.getInputStream(), false, ctx.output()).join();
            err.join();
            int status = p.waitFor();
            if (status != 0) {
                throw CellError.simple("ShellError", "the command exited with status " + status).toFailure();
            }
        } catch (IOException e) {
            throw CellError.simple("ShellError", e.getMessage()).toFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupt();
        } finally {
            shell = null;
        }
    }

    private static Thread copy(InputStream from, boolean toErr, OutputRouter output) {
        Thread t = new Thread(() -> {
            char[] buf = new char[4096];
            try (Reader r = new InputStreamReader(from, StandardCharsets.UTF_8)) {
                int n;
                while ((n = r.read(buf)) >= 0) {
                    output.print(toErr, new String(buf, 0, n));
                }
            } catch (IOException e) {
                // the command ended
            }
        }, "frugal-sh-" + (toErr ? "err" : "out"));
        t.setDaemon(true);
        t.start();
        return t;
    }
}
