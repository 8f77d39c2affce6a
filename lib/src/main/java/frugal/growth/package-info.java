/**
 * Model growth (Du et al., "Stacking Your Transformers", NeurIPS 2024): a small {@link frugal.nn.TinyGpt} is
 * trained first and grown into a deeper one, which trains on; the question is whether that beats training the
 * deep model from scratch at equal compute. {@link frugal.growth.GrowthOperator} holds the depthwise operators
 * (G_stack, G_zero, G_random), {@link frugal.growth.Flops} the hand FLOP count that makes runs comparable, and
 * {@link frugal.growth.GrowthExperiment} notebook 08's experiment: the equal-FLOPs comparison, the operator
 * contrast, the growth-timing sweep and the paper card's claims.
 */
package frugal.growth;
