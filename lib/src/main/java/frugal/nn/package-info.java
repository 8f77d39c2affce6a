/**
 * Models, composed from DJL blocks: the dataset-distillation ConvNet family and a small ResNet (both
 * with observable batch norm, {@link frugal.nn.BatchNormLayer} / {@link frugal.nn.BnStats}), DomainBed's
 * GroupNorm CNN, and a muP-aware nanoGPT-style {@link frugal.nn.TinyGpt} whose block Linears come from a
 * {@link frugal.nn.LinearFactory}. Image models are {@link frugal.nn.Classifier}s: a featurizer and a
 * head.
 *
 * <p>Parameter paths are DJL's: a child block's name is its position (two digits, from 01) followed by
 * the name it was added with, joined to the parameter name by underscores, e.g.
 * {@code 01featurizer_02BatchNormLayer_gamma} (children of a {@code SequentialBlock} are named after their
 * class) or {@code 01block0_02attn_qkv_weight}. {@link frugal.nn.TinyGpt} documents its full list.
 *
 * <p>Every model is built uninitialised; call {@code initialize(manager, DataType.FLOAT32, inputShape)}
 * (or {@link frugal.nn.TinyGpt#initialize(ai.djl.ndarray.NDManager)}) once, then forward batches, each in
 * its own sub-manager: outputs attach to the input's manager.
 */
package frugal.nn;
