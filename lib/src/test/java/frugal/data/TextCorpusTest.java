package frugal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextCorpusTest {
    private static TextCorpus corpus(int n) {
        var docs = new ArrayList<String>();
        var domains = new ArrayList<String>();
        for (int i = 0; i < n; i++) {
            docs.add("doc" + i);
            domains.add(i % 3 == 0 ? "fizz" : "plain");
        }
        return new TextCorpus("test", docs, domains, "|");
    }

    @Test
    void joinsDocumentsWithTheSeparator() {
        TextCorpus c = corpus(3);
        assertEquals("doc0|doc1|doc2", c.text());
        assertEquals(c.text().length(), c.length());
        assertEquals(List.of("fizz", "plain"), c.domainNames());
    }

    @Test
    void splitsByDocumentDeterministically() {
        TextCorpus c = corpus(20);
        Split<TextCorpus> s = c.split(0.75, 4);
        assertEquals(15, s.train().size());
        assertEquals(5, s.val().size());
        var all = new HashSet<>(s.train().documents());
        all.addAll(s.val().documents());
        assertEquals(new HashSet<>(c.documents()), all, "disjoint and covering");
        assertEquals(s.val().documents(), c.split(0.75, 4).val().documents());
        assertNotEquals(s.val().documents(), c.split(0.75, 5).val().documents());
        for (int i = 0; i < s.val().size(); i++) {
            int k = Integer.parseInt(s.val().document(i).substring(3));
            assertEquals(k % 3 == 0 ? "fizz" : "plain", s.val().domain(i), "domains travel with documents");
        }
    }

    @Test
    void selectsDomains() {
        TextCorpus fizz = corpus(9).withDomains(List.of("fizz"));
        assertEquals(List.of("doc0", "doc3", "doc6"), fizz.documents());
        var e = assertThrows(FrugalException.class, () -> corpus(9).withDomains(List.of("buzz")));
        assertTrue(e.getMessage().contains("no domain 'buzz'"), e.getMessage());
    }

    @Test
    void rejectsMismatchedDomainLabels() {
        var e = assertThrows(FrugalException.class,
                () -> new TextCorpus("x", List.of("a", "b"), List.of("d"), "\n"));
        assertTrue(e.getMessage().contains("1 domain labels for 2 documents"), e.getMessage());
    }
}
