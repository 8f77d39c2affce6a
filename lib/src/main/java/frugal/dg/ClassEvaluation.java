package frugal.dg;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import frugal.core.Html;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;

/**
 * Per-class evaluation of a run's selected checkpoint through Tribuo's {@link LabelEvaluator}: confusion
 * matrix, per-class precision / recall / F1, macro averages. The evaluation's provenance names the run
 * (algorithm, trial, test domain, chosen step, model selection), its configuration and seed, and the data.
 */
public final class ClassEvaluation {
    private ClassEvaluation() {}

    /** Tribuo's evaluation of {@code run} at the checkpoint {@code selection} picks. */
    public static LabelEvaluation of(DgResults results, DgRun run, ModelSelection selection) {
        CheckpointRecord chosen = run.selected(selection);
        List<String> classes = results.domains().classNames();
        Map<Label, Integer> ids = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            ids.put(new Label(classes.get(c)), c);
        }
        LabelFactory factory = new LabelFactory();
        ImmutableOutputInfo<Label> outputs = factory.constructInfoForExternalModel(ids);
        List<Prediction<Label>> predictions = new ArrayList<>(run.testLabels().length);
        for (int i = 0; i < run.testLabels().length; i++) {
            Example<Label> truth = new ArrayExample<>(new Label(classes.get(run.testLabels()[i])));
            predictions.add(new Prediction<>(new Label(classes.get(chosen.predictions()[i])), 0, truth));
        }
        Domain test = results.domains().get(run.testDomain());
        var data = new SimpleDataSourceProvenance(String.format("test domain %s (in split, %d images evaluated) of %s",
                test.name(), run.testLabels().length, results.domains().description()), factory);
        Model<Label> model = new CheckpointModel(run.algorithm(), provenance(results, run, selection, chosen), outputs);
        return new LabelEvaluator().evaluate(model, predictions, data);
    }

    /** The confusion matrix (rows: true class, columns: predicted) in class order, as HTML with a text twin. */
    public static Html confusionMatrix(LabelEvaluation evaluation, List<String> classNames) {
        LabelConfusionMatrix matrix = (LabelConfusionMatrix) evaluation.getConfusionMatrix();
        matrix.setLabelOrder(classNames.stream().map(Label::new).toList());
        return new Html(matrix.toHTML(), matrix.toString());
    }

    private static ModelProvenance provenance(DgResults results, DgRun run, ModelSelection selection,
            CheckpointRecord chosen) {
        DgConfig c = results.config();
        Map<String, Provenance> values = new HashMap<>();
        values.put("algorithm", new StringProvenance("algorithm", run.algorithm()));
        values.put("trial", new IntProvenance("trial", run.trial()));
        values.put("seed", new LongProvenance("seed", c.seed()));
        values.put("test-domain", new StringProvenance("test-domain", results.domains().get(run.testDomain()).name()));
        values.put("model-selection", new StringProvenance("model-selection", selection.label()));
        values.put("checkpoint-step", new LongProvenance("checkpoint-step", chosen.step()));
        values.put("test-accuracy", new DoubleProvenance("test-accuracy", chosen.testAccuracy()));
        values.put("config", new StringProvenance("config", c.toString()));
        values.put("data", new StringProvenance("data", results.domains().description()));
        return new ModelProvenance(CheckpointModel.class.getName(), OffsetDateTime.now(), new EmptyDatasetProvenance(),
                new EmptyTrainerProvenance(), values);
    }

    /**
     * Stands for a trained DJL network in Tribuo's evaluation: it carries the label domain and the provenance;
     * the predictions were made by the network itself (in batches, by {@link LeaveOneDomainOut}).
     */
    private static final class CheckpointModel extends Model<Label> {
        private static final long serialVersionUID = 1L;

        CheckpointModel(String name, ModelProvenance provenance, ImmutableOutputInfo<Label> outputs) {
            super(name, provenance, new ImmutableFeatureMap(new MutableFeatureMap()), outputs, false);
        }

        @Override
        public Prediction<Label> predict(Example<Label> example) {
            throw new UnsupportedOperationException("a frugal.dg checkpoint predicts through its DJL network"
                    + " (LeaveOneDomainOut); this Tribuo model only records its provenance for evaluation");
        }

        @Override
        public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
            return Map.of();
        }

        @Override
        public Optional<org.tribuo.Excuse<Label>> getExcuse(Example<Label> example) {
            return Optional.empty();
        }

        @Override
        protected Model<Label> copy(String newName, ModelProvenance newProvenance) {
            return new CheckpointModel(newName, newProvenance, outputIDInfo);
        }
    }
}
