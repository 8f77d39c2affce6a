/**
 * Maximal Update Parametrization (muP): the width multiplier, forward multipliers, init std and
 * per-group learning rates that let hyper-parameters tuned on a narrow proxy transfer to wider models.
 * {@link frugal.mup.MupConfig} holds the rules; models such as {@link frugal.nn.TinyGpt} apply them and
 * tell each parameter's {@link frugal.mup.ParamRole}; {@link frugal.mup.Mup#paramGrouping} turns the
 * roles into optimiser groups.
 */
package frugal.mup;
