package frugal.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build's launch files: startup imports from the packages that exist, a quoted argfile. */
class LaunchFilesTest {
    @Test
    void onlyPresentPackagesAreImportedAndClashesAreNamed() {
        Map<String, Set<String>> packages = new LinkedHashMap<>();
        packages.put("java.util", Set.of("List", "Random"));
        packages.put("frugal.core", Set.of("Random"));
        String startup = LaunchFiles.startup(packages);
        assertTrue(startup.contains("import java.util.*;\nimport frugal.core.*;\n"), startup);
        assertFalse(startup.contains("frugal.mup"), startup);
        assertTrue(startup.contains("// ambiguous: Random in [java.util, frugal.core]"), startup);
        assertTrue(startup.contains("import static frugal.kernel.remote.Notebook.*;"), startup);
    }

    @Test
    void theBuiltStartupFileImportsTheLibrary() throws Exception {
        Path home = Path.of(System.getProperty("frugal.kernel.home", "target"));
        List<String> lines = java.nio.file.Files.readAllLines(home.resolve(LaunchFiles.STARTUP_FILE));
        assertTrue(lines.contains("import frugal.core.*;"), lines.toString());
        assertTrue(lines.contains("import ai.djl.ndarray.*;"), lines.toString());
    }

    @Test
    void argFileTokensAreQuoted() {
        assertEquals("\"-cp\"\n\"/a b/c\\\\d\"\n", LaunchFiles.argFile(List.of("-cp", "/a b/c\\d")));
    }
}
