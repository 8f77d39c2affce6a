package frugal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import frugal.core.Display;
import frugal.core.Engines;
import frugal.core.Html;
import frugal.core.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class TrainerDisplayTest {
    /** A notebook stand-in: remembers what each output showed last. */
    static final class RecordingSink implements Display.Sink {
        final List<List<Object>> outputs = new ArrayList<>();

        @Override
        public Display.Handle show(Object value) {
            List<Object> versions = new ArrayList<>(List.of(value));
            outputs.add(versions);
            return versions::add;
        }

        @Override
        public boolean rich() {
            return true;
        }
    }

    @Test
    void notebookGetsAnHtmlProgressBarAndALiveLossChart() throws Exception {
        Engines.pytorch();
        RecordingSink sink = new RecordingSink();
        Display.Sink previous = Display.install(sink);
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.set(1);
            Block model = Linear.builder().setUnits(1).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(16, 3));
            Trainer.train(model, TrainerTest.regression(3), LossFunction.of(Losses.meanSquaredError()),
                    TrainConfig.of(20, 0.05).withChartEvery(10).withGrouping(ParamGrouping.decayMatricesOnly(0.1)));
        } finally {
            Display.install(previous);
        }
        assertEquals(2, sink.outputs.size(), "one progress output and one chart, each updated in place");
        List<Object> progress = sink.outputs.get(0);
        assertTrue(((Html) progress.get(0)).text().startsWith("training 20 steps: adamw, 4 parameters in 2 arrays"),
                progress.get(0).toString());
        Html last = (Html) progress.get(progress.size() - 1);
        assertTrue(last.html().contains("width:100.0%") && last.text().contains("step 20/20"), last.text());
        List<Object> chart = sink.outputs.get(1);
        assertEquals(2, chart.size(), "drawn at step 10, redrawn at step 20");
        XYChart finalChart = assertInstanceOf(XYChart.class, chart.get(1));
        assertEquals(20, finalChart.getSeriesMap().get("loss").getXData().length);
    }
}
