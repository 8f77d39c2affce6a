package frugal.galore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import frugal.core.FrugalException;
import smile.math.matrix.Matrix;

/**
 * GaLore's projection of one weight matrix's gradient G (rows x cols) onto its top-r singular subspace, on the
 * matrix's smaller side as the paper does: with rows <= cols, {@code R = P^T G} (r x cols) where P (rows x r)
 * holds the top-r left singular vectors of G; with rows > cols, {@code R = G Q} (rows x r) with Q (cols x r) the
 * top-r right singular vectors. Back: {@code P R} or {@code R Q^T}.
 *
 * <p>The basis comes from a truncated SVD on the host, in double precision, with Smile (DJL 0.36 exposes no SVD
 * on the PyTorch engine: {@code NDArray} has only {@code inverse}). The top singular vectors of G on its smaller
 * side k are the top eigenvectors of the k x k Gram matrix ({@code G G^T} or {@code G^T G}), so the engine forms
 * that and only k x k goes through LAPACK (128 x 128 takes ~2 ms; the full 512 x 128 SVD took 50x longer here).
 * Each basis vector's sign is fixed (its largest entry positive): LAPACK may flip a singular vector from one
 * SVD to the next, which would flip the sign of Adam's first moment along it when the subspace is refreshed.
 */
final class Projector {
    /** Which side of G the basis spans. */
    enum Side {
        /** rows <= cols: the basis is rows x r, the projected gradient r x cols. */
        LEFT,
        /** rows > cols: the basis is cols x r, the projected gradient rows x r. */
        RIGHT
    }

    private final Side side;
    private final long rows;
    private final long cols;
    private final int rank;
    /** k x r on the optimiser's manager; zeros until the first {@link #refresh}. */
    private final NDArray basis;

    /**
     * @param shape the matrix, rows x cols
     * @param rank the requested rank; more than the smaller side is cut to it
     */
    Projector(Shape shape, int rank, NDManager manager) {
        if (shape.dimension() != 2) {
            throw new FrugalException("GaLore projects matrices only, got shape " + shape);
        }
        this.rows = shape.get(0);
        this.cols = shape.get(1);
        this.side = rows <= cols ? Side.LEFT : Side.RIGHT;
        this.rank = (int) Math.min(rank, Math.min(rows, cols));
        this.basis = manager.zeros(new Shape(smallSide(), this.rank), DataType.FLOAT32);
    }

    Side side() {
        return side;
    }

    /** The rank actually used: the requested one, at most the smaller side. */
    int rank() {
        return rank;
    }

    long smallSide() {
        return Math.min(rows, cols);
    }

    long largeSide() {
        return Math.max(rows, cols);
    }

    /** The shape of the projected gradient (and of Adam's moments for it). */
    Shape projectedShape() {
        return side == Side.LEFT ? new Shape(rank, cols) : new Shape(rows, rank);
    }

    NDArray basis() {
        return basis;
    }

    /** Recomputes the basis from the gradient {@code g} (rows x cols): its top-r singular vectors. */
    void refresh(NDArray g) {
        NDArray g64 = g.toType(DataType.FLOAT64, false);
        NDArray gram = side == Side.LEFT ? g64.matMul(g64.transpose()) : g64.transpose().matMul(g64);
        int k = (int) smallSide();
        // symmetric, so Smile's column-major reading of the row-major buffer is the same matrix
        Matrix.SVD svd = new Matrix(k, k, k, gram.toDoubleArray()).svd(true, true);
        float[] top = new float[k * rank];
        for (int j = 0; j < rank; j++) {
            double[] v = svd.U.col(j);
            int largest = 0;
            for (int i = 1; i < k; i++) {
                if (Math.abs(v[i]) > Math.abs(v[largest])) {
                    largest = i;
                }
            }
            double sign = v[largest] < 0 ? -1 : 1;
            for (int i = 0; i < k; i++) {
                top[i * rank + j] = (float) (sign * v[i]);
            }
        }
        basis.set(top);
    }

    /** The projected gradient, on {@code g}'s manager. */
    NDArray project(NDArray g) {
        // an op's result joins its first operand's manager: g first, so nothing lands on the long-lived one
        return side == Side.LEFT ? g.transpose().matMul(basis).transpose() : g.matMul(basis);
    }

    /**
     * A projected update back in the matrix's space (rows x cols), on {@code scope}: {@code low} may live on the
     * optimiser's manager, and every result (a transposed view included) would otherwise join it, step after step.
     */
    NDArray projectBack(NDArray low, NDManager scope) {
        NDArray back;
        if (side == Side.LEFT) {
            back = basis.matMul(low);
        } else {
            NDArray basisT = basis.transpose();
            basisT.attach(scope);
            back = low.matMul(basisT);
        }
        back.attach(scope);
        return back;
    }
}
