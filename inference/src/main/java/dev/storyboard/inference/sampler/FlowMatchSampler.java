package dev.storyboard.inference.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.Locale;

/**
 * Rectified-flow sampling (docs/STORYDIT.md §8; {@code flow.py}):
 *
 * <pre>
 *   x_t = (1 − t)·x0 + t·ε        v = ε − x0
 *   shift:     t' = s·t / (1 + (s − 1)·t)
 *   schedule:  t_k = shift(1 − k/steps), k = 0..steps        (1 → 0)
 *   Euler:     x ← x + (t_{k+1} − t_k)·v(x, t_k)
 *   Heun:      v1 = v(x, t_k); x_e = x + dt·v1; x ← x_e if t_{k+1} = 0 else x + dt·(v1 + v(x_e, t_{k+1}))/2
 *   CFG:       v = v_u + g·(v_c − v_u), cond and uncond as ONE batch of two rows ({@link #guided})
 * </pre>
 *
 * The sampler sees only a {@link VelocityField}; the caller loops over {@link #step} so it can report
 * progress and stop between steps.
 */
public final class FlowMatchSampler {

    /** Integration rule. */
    public enum Method {
        EULER(1), HEUN(2);

        private final int evaluationsPerStep;

        Method(int evaluationsPerStep) {
            this.evaluationsPerStep = evaluationsPerStep;
        }

        /** Network evaluations per step (Heun's last step to t = 0 uses one). */
        public int evaluationsPerStep() {
            return evaluationsPerStep;
        }

        public static Method parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "euler" -> EULER;
                case "heun" -> HEUN;
                default -> throw new IllegalArgumentException("unknown sampler '" + name + "' (expected euler or heun)");
            };
        }
    }

    private final Method method;
    private final double[] timesteps;

    public FlowMatchSampler(Method method, int steps, double shift) {
        this(method, timesteps(steps, shift));
    }

    private FlowMatchSampler(Method method, double[] timesteps) {
        this.method = method;
        this.timesteps = timesteps;
    }

    /**
     * The same rule and schedule started at {@code startT} &lt; 1 instead of t = 1 (SDEdit's start; {@code flow.sample}
     * with {@code start_t}): the times {@code [startT, t_k < startT …, 0]}, so one step from startT to the schedule's
     * first time below it, then the schedule. startT = 1 returns this sampler.
     */
    public FlowMatchSampler from(double startT) {
        if (!(startT > 0 && startT <= 1)) {
            throw new IllegalArgumentException("start time must be in (0, 1], was " + startT);
        }
        if (startT >= 1) {
            return this;
        }
        double[] below = Arrays.stream(timesteps).filter(t -> t < startT).toArray();
        double[] ts = new double[below.length + 1];
        ts[0] = startT;
        System.arraycopy(below, 0, ts, 1, below.length);
        return new FlowMatchSampler(method, ts);
    }

    /** t' = s·t / (1 + (s − 1)·t). */
    public static double shift(double t, double s) {
        return s * t / (1 + (s - 1) * t);
    }

    /** steps + 1 decreasing times from 1 to 0: shift(1 − k/steps). */
    public static double[] timesteps(int steps, double shift) {
        if (steps < 1) {
            throw new IllegalArgumentException("need at least one step, was " + steps);
        }
        double[] ts = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            ts[k] = shift(1.0 - (double) k / steps, shift);
        }
        return ts;
    }

    public Method method() {
        return method;
    }

    public int steps() {
        return timesteps.length - 1;
    }

    public double[] timesteps() {
        return timesteps.clone();
    }

    /** One step k: x at t_k → x at t_{k+1}. The result lives in x's manager. */
    public NDArray step(VelocityField v, NDArray x, int k) {
        return step(method, v, x, timesteps[k], timesteps[k + 1]);
    }

    /** One integration step from t to tNext with the given rule. */
    public static NDArray step(Method method, VelocityField v, NDArray x, double t, double tNext) {
        double dt = tNext - t;
        NDArray v1 = v.velocity(x, t);
        if (method == Method.EULER) {
            return x.add(v1.mul((float) dt));
        }
        NDArray xEuler = x.add(v1.mul((float) dt));
        if (tNext <= 0.0) {
            return xEuler;
        }
        NDArray v2 = v.velocity(xEuler, tNext);
        return x.add(v1.add(v2).muli((float) (dt * 0.5)));
    }

    /** The one place classifier-free guidance happens: v = v_u + g·(v_c − v_u). */
    public static NDArray cfgCombine(NDArray vCond, NDArray vUncond, double guidance) {
        return vUncond.add(vCond.sub(vUncond).muli((float) guidance));
    }

    /**
     * Wraps a batched field whose rows [0, B) are conditional and [B, 2B) unconditional into v(x) for
     * x (B, ...): both halves run as ONE forward of 2B rows, then {@link #cfgCombine}.
     */
    public static VelocityField guided(VelocityField batched, double guidance) {
        return (x, t) -> {
            long b = x.getShape().get(0);
            NDArray both = batched.velocity(NDArrays.concat(new NDList(x, x), 0), t);
            NDArray vCond = both.get(new NDIndex("0:{}", b));
            NDArray vUncond = both.get(new NDIndex("{}:", b));
            return cfgCombine(vCond, vUncond, guidance);
        };
    }
}
