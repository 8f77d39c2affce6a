package frugal.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import org.junit.jupiter.api.Test;

class ClaimsTableTest {
    @Test
    void verdictFollowsTheBarAndTheBudget() {
        assertEquals(Verdict.PASS, Claim.check("C1", "ratio small", 1.2, "<= 1.5", v -> v <= 1.5, true).verdict());
        assertEquals(Verdict.FAIL, Claim.check("C1", "ratio small", 1.7, "<= 1.5", v -> v <= 1.5, true).verdict());
        assertEquals(Verdict.FAIL, Claim.check("C1", "ratio small", Double.NaN, "<= 1.5", v -> true, true).verdict());
        assertEquals(Verdict.NOT_JUDGED,
                Claim.check("C1", "ratio small", 1.7, "<= 1.5", v -> v <= 1.5, false).verdict());
    }

    @Test
    void htmlCarriesTheMarkerAndEscapesText() {
        ClaimsTable t = new ClaimsTable("FBI-LLM <tiny>")
                .add(Claim.check("C1", "a < b", 0.5, "<= 1", v -> v <= 1, true))
                .add(Claim.judged("C2", "curves line up", "shift 0.1 decades", "< 0.3", false, true));
        String html = t.toHtml().html();
        assertTrue(html.startsWith("<table class=\"frugal-claims\">"), html);
        assertTrue(html.contains("a &lt; b") && html.contains("FBI-LLM &lt;tiny&gt;"), html);
        assertTrue(html.contains(">PASS<") && html.contains(">FAIL<"), html);
        assertFalse(t.allPassed());
        assertTrue(t.toHtml().text().contains("C2   FAIL"), t.toString());
    }

    @Test
    void aClaimNeedsAnIdAndAStatement() {
        assertThrows(FrugalException.class, () -> new Claim(" ", "x", "1", "t", Verdict.PASS));
    }
}
