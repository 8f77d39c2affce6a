package frugal.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import frugal.core.FrugalException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridTest {
    enum Schedule { COSINE, WSD }

    @Test
    void gridIsTheFullProductWithTheFirstAxisSlowest() {
        Grid g = Grid.of("lr", 0.1, 0.01).and("width", 8, 16, 32).and("schedule", Schedule.WSD);
        List<RunConfig> configs = g.configs();
        assertEquals(6, g.size());
        assertEquals(6, configs.size());
        assertEquals(RunConfig.of("lr", 0.1, "width", 8, "schedule", "WSD"), configs.get(0));
        assertEquals(RunConfig.of("lr", 0.1, "width", 16, "schedule", "WSD"), configs.get(1));
        assertEquals(RunConfig.of("lr", 0.01, "width", 32, "schedule", "WSD"), configs.get(5));
        assertEquals(6, new HashSet<>(configs).size(), "all distinct");
        assertEquals(List.of("lr", "width", "schedule"), List.copyOf(configs.get(3).names()));
    }

    @Test
    void valuesKeepTheirTypesThroughJson() {
        RunConfig c = RunConfig.of("lr", 0.1f, "width", 64, "steps", 1L << 40, "name", "a \"b\"", "decay", true,
                "one", 1.0);
        assertEquals(0.1, c.getDouble("lr"), 0.0, "a float keeps its decimal value");
        RunConfig back = RunConfig.fromJson(c.toJson().toString());
        assertEquals(c, back);
        assertEquals(c.key(), back.key());
        assertEquals(Long.class, back.get("width").getClass());
        assertEquals(Double.class, back.get("one").getClass());
        assertEquals(1L << 40, back.getLong("steps"));
        assertEquals("a \"b\"", back.getString("name"));
        assertTrue(back.getBoolean("decay"));
        assertNotEquals(RunConfig.of("one", 1), RunConfig.of("one", 1.0), "an integer is not a double");
    }

    @Test
    void identityIgnoresParameterOrderAndFileStemsDiffer() {
        RunConfig a = RunConfig.of("lr", 0.1, "width", 8);
        RunConfig b = RunConfig.of("width", 8, "lr", 0.1);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.fileStem().substring(a.fileStem().lastIndexOf('-')),
                b.fileStem().substring(b.fileStem().lastIndexOf('-')), "same hash");
        Set<String> stems = new HashSet<>();
        Grid.of("lr", 0.1, 0.01, 0.001).and("width", 8, 16).and("tag", "a/b", "a b").configs()
                .forEach(c -> stems.add(c.fileStem()));
        assertEquals(12, stems.size());
        stems.forEach(s -> assertTrue(s.matches("[A-Za-z0-9=._+-]+"), "safe file name: " + s));
    }

    @Test
    void readingWithWrongTypesOrMissingNamesSaysWhatToFix() {
        RunConfig c = RunConfig.of("width", 64, "lr", 0.1);
        assertEquals(64.0, c.getDouble("width"), 0.0, "an integer widens to double");
        assertEquals(7, c.getInt("depth", 7));
        FrugalException e = assertThrows(FrugalException.class, () -> c.getInt("lr"));
        assertTrue(e.getMessage().contains("'lr' is 0.1 (a double), expected an integer"), e.getMessage());
        e = assertThrows(FrugalException.class, () -> c.getDouble("depth"));
        assertTrue(e.getMessage().contains("no parameter 'depth'"), e.getMessage());
        assertThrows(FrugalException.class, () -> RunConfig.of("lr", Double.NaN));
        assertThrows(FrugalException.class, () -> RunConfig.of("lr", List.of(1)));
        assertThrows(FrugalException.class, () -> RunConfig.of("lr"));
        assertThrows(FrugalException.class, () -> Grid.of("lr", 0.1, 0.1));
        assertThrows(FrugalException.class, () -> Grid.of("lr", 0.1).and("lr", 0.2));
        assertThrows(FrugalException.class, () -> Sweep.of(List.of(c, RunConfig.of("lr", 0.1, "width", 64))));
    }

    @Test
    void gridJsonParsesAsAGridOrAsAList() {
        Grid g = Grid.of("lr", 0.001, 0.003).and("width", 32, 64).and("tag", "x");
        assertEquals(g.configs(), Grid.parseJson(g.toJson()));
        List<RunConfig> list = Grid.parseJson("[{\"lr\": 0.1, \"seed\": 1}, {\"lr\": 0.2, \"seed\": 2}]");
        assertEquals(List.of(RunConfig.of("lr", 0.1, "seed", 1), RunConfig.of("lr", 0.2, "seed", 2)), list);
        assertEquals(2, Grid.parseJson("{\"lr\": [1e-3, 2e-3], \"steps\": 20}").size(), "a scalar is a one-value axis");
        FrugalException e = assertThrows(FrugalException.class, () -> Grid.parseJson("{\"lr\": [0.1,"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertThrows(FrugalException.class, () -> Grid.parseJson("{\"lr\": [[0.1]]}"));
    }
}
