package frugal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a tiny src.zip laid out like the JDK's (module/package/File.java). */
class JdkSourceCorpusTest {
    @TempDir
    Path dir;

    private Path zip;

    @BeforeEach
    void archive() throws IOException {
        zip = dir.resolve("src.zip");
        try (var out = new ZipOutputStream(Files.newOutputStream(zip))) {
            // written out of order: the corpus must sort by name
            put(out, "java.sql/java/sql/Date.java", "class Date {}\n");
            put(out, "java.base/java/util/List.java", "interface List {}\n");
            put(out, "java.base/java/lang/Object.java", "/*\n * Copyright (c) 1994, Oracle.\n */\n\nclass Object {}\n");
            put(out, "java.base/java/lang/package-info.html", "<p>not java</p>");
            put(out, "java.base/java/util/Map.java", "interface Map {}\n");
        }
    }

    private static void put(ZipOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    @Test
    void readsJavaFilesInNameOrderWithModulesAsDomains() {
        TextCorpus all = JdkSourceCorpus.load(zip, "", 1_000);
        assertEquals(List.of("class Object {}\n", "interface List {}\n", "interface Map {}\n", "class Date {}\n"),
                all.documents());
        assertEquals(List.of("java.base", "java.base", "java.base", "java.sql"), all.domains());
    }

    @Test
    void filtersByPrefixAndCapsBytesAtWholeFiles() {
        assertEquals(List.of("interface List {}\n", "interface Map {}\n"),
                JdkSourceCorpus.load(zip, "java.base/java/util/", 1_000).documents());
        // 16 + 1 + 18 chars fit in 40, the third file (1 + 17 more) would not
        TextCorpus capped = JdkSourceCorpus.load(zip, "java.base/", 40);
        assertEquals(2, capped.size());
        assertEquals(35, capped.length());
        var e = assertThrows(FrugalException.class, () -> JdkSourceCorpus.load(zip, "java.base/", 10));
        assertTrue(e.getMessage().contains("longer than maxChars 10"), e.getMessage());
    }

    @Test
    void dropsOnlyALeadingCopyrightComment() {
        assertEquals("package p;\n", JdkSourceCorpus.withoutLicenceHeader("/* Copyright me */\n\npackage p;\n"));
        String doc = "/** Not a licence. */\nclass A {}\n";
        assertEquals(doc, JdkSourceCorpus.withoutLicenceHeader(doc));
    }

    @Test
    void namesWhatIsMissing() throws IOException {
        var e = assertThrows(FrugalException.class, () -> JdkSourceCorpus.load(zip, "jdk.compiler/", 1_000));
        assertTrue(e.getMessage().contains("no .java file under 'jdk.compiler/'"), e.getMessage());
        assertTrue(e.getMessage().contains("java.base/"), "lists the modules there: " + e.getMessage());

        Path junk = Files.writeString(dir.resolve("junk.zip"), "this is no zip");
        e = assertThrows(FrugalException.class, () -> JdkSourceCorpus.load(junk, "", 1_000));
        assertTrue(e.getMessage().contains("junk.zip"), e.getMessage());
    }
}
