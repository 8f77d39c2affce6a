package frugal.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cells split into code and magics, with positions that point into the cell. */
class CellSourceTest {
    @Test
    void lineMagicsSplitTheCodeAroundThem() {
        String text = "int a = 1;\n  %maven g:a:1  \nint b = a % 2;\n%time b\n";
        List<CellSource.Segment> s = CellSource.parse(text).segments();
        assertEquals(4, s.size());
        assertEquals(CellSource.Kind.CODE, s.get(0).kind());
        assertEquals("int a = 1;\n", s.get(0).body());
        assertEquals("maven", s.get(1).name());
        assertEquals("g:a:1", s.get(1).args());
        assertEquals(text.indexOf("g:a:1"), s.get(1).offset());
        assertEquals("int b = a % 2;\n", s.get(2).body(), "a % inside code is not a magic");
        assertEquals(text.indexOf("int b"), s.get(2).offset());
        assertEquals("time", s.get(3).name());
        assertEquals("b", s.get(3).args());
        assertEquals(text.lastIndexOf('b'), s.get(3).offset());
    }

    @Test
    void aCellMagicTakesTheRestOfTheCell() {
        String text = "\n%%sh -x\necho 1\n%not a magic here\n";
        List<CellSource.Segment> s = CellSource.parse(text).segments();
        assertEquals(1, s.size());
        assertEquals(CellSource.Kind.CELL_MAGIC, s.get(0).kind());
        assertEquals("sh", s.get(0).name());
        assertEquals("-x", s.get(0).args());
        assertEquals("echo 1\n%not a magic here\n", s.get(0).body());
        assertEquals(text.indexOf("echo"), s.get(0).offset());
    }

    @Test
    void positionsAreOneBasedLinesAndColumns() {
        CellSource c = CellSource.parse("ab\n\ncdef\n");
        assertEquals(new CellSource.Position(1, 1), c.position(0));
        assertEquals(new CellSource.Position(3, 3), c.position(6));
        assertEquals("cdef", c.line(3));
        assertEquals("", c.line(9));
    }

    @Test
    void historyPatternsAreGlobs() {
        assertEquals(true, "int x = 1;".matches(History.globToRegex("int*;")));
        assertEquals(false, "int x = 1;".matches(History.globToRegex("x?")));
        assertEquals(2, CodeAssist.depth("class A {\n void f() {"));
    }
}
