/**
 * Uncertainty for claims judged over seeds: the difference between two methods measured on the same
 * seeds (paired) or on independent runs (Welch), its t interval and p-value from Smile's hypothesis
 * tests, and the three-way reading a claim needs: clearly above the bar, clearly below, or inside the
 * noise ({@link frugal.claims.Verdict#INCONCLUSIVE}).
 */
package frugal.stats;
