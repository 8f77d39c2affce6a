package frugal.kernel.remote;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.Display;
import frugal.core.FrugalException;

import java.awt.image.BufferedImage;

/**
 * What notebook cells call directly (the kernel imports these statically at startup).
 *
 * <pre>{@code
 * display(chart);                    // shows it now, whatever the cell's last value is
 * var h = display(progress);         // ... and keeps a handle:
 * h.update(progress);                // redraws that same output in place
 * clearOutput();                     // empties this cell's output area
 * clearOutput(true);                 // ... when the next output arrives (animations without flicker)
 * image(x.get(0))                    // a small 2-D or 3-D array as a picture
 * }</pre>
 * Outside the kernel (scripts/jshell, plain Java) {@code display} prints text to the terminal.
 */
public final class Notebook {
    /** Images smaller than this on their longer side are scaled up by whole pixels to stay visible. */
    static final int MIN_IMAGE_SIDE = 112;

    private Notebook() {}

    /** Shows {@code value} as rich output (PNG, HTML table, text) and returns a handle to redraw it. */
    public static Display.Handle display(Object value) {
        return Display.show(value);
    }

    /** Clears everything this cell has shown so far (Jupyter's clear_output). */
    public static void clearOutput() {
        clearOutput(false);
    }

    /**
     * Clears this cell's output; with {@code wait} the frontend keeps the old output until the next one
     * arrives, so a loop that clears and redraws does not flicker.
     */
    public static void clearOutput(boolean wait) {
        System.out.flush();
        Agent.clearOutput(wait);
    }

    /**
     * A 2-D array (height, width) or 3-D array (channels, height, width) or (height, width, channels)
     * with 1 or 3 channels as a picture, values scaled from their min..max to black..white.
     */
    public static BufferedImage image(NDArray array) {
        Shape s = array.getShape();
        int c;
        int h;
        int w;
        boolean channelsFirst;
        if (s.dimension() == 2) {
            c = 1;
            h = (int) s.get(0);
            w = (int) s.get(1);
            channelsFirst = true;
        } else if (s.dimension() == 3 && (s.get(0) == 1 || s.get(0) == 3)) {
            c = (int) s.get(0);
            h = (int) s.get(1);
            w = (int) s.get(2);
            channelsFirst = true;
        } else if (s.dimension() == 3 && (s.get(2) == 1 || s.get(2) == 3)) {
            c = (int) s.get(2);
            h = (int) s.get(0);
            w = (int) s.get(1);
            channelsFirst = false;
        } else {
            throw new FrugalException("image(array) needs shape (H, W), (C, H, W) or (H, W, C) with C = 1 or 3; got "
                    + s + ". Pick one image first, e.g. image(batch.get(0)).");
        }
        if ((long) h * w > 4_000_000L) {
            throw new FrugalException("image(array): " + h + "x" + w + " is too large to show; slice or pool it first.");
        }
        float[] v;
        try (var scope = array.getManager().newSubManager()) {
            var copy = array.toType(DataType.FLOAT32, true);
            copy.attach(scope);
            v = copy.toFloatArray();
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            if (Float.isFinite(x)) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        float range = max > min ? max - min : 1f;
        int scale = Math.max(1, MIN_IMAGE_SIDE / Math.max(h, w));
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    int ch = c == 1 ? 0 : k;
                    int i = channelsFirst ? (ch * h + y) * w + x : (y * w + x) * c + ch;
                    float f = Float.isFinite(v[i]) ? (v[i] - min) / range : 0f;
                    rgb = (rgb << 8) | Math.round(255 * Math.max(0f, Math.min(1f, f)));
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        return img;
    }
}
