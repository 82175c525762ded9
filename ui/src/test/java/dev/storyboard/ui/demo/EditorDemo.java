package dev.storyboard.ui.demo;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.ui.EditorEnvironment;
import dev.storyboard.ui.EditorView;
import dev.storyboard.ui.EditorViewModel;
import dev.storyboard.ui.concurrent.ExecutorBackground;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.dialog.FxEditorDialogs;
import dev.storyboard.ui.fake.FakeGenerationService;
import dev.storyboard.ui.generation.JobEntry;
import dev.storyboard.ui.project.RecoveryStore;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.input.MouseButton;
import javafx.scene.robot.Robot;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Drives the real editor window against the FAKE engine (test sources only), as a creator would: empty
 * state, three shots, generate them, drag a shot's edge to extend it, regenerate one shot (stale later
 * shots). Two modes, both for a real display (run under Xvfb, not Monocle):
 *
 * <ul>
 *   <li>{@code screenshots DIR}: window snapshots at each step (docs/editor-*.png).</li>
 *   <li>{@code benchmark FRAME_PIXELS}: no snapshots; measures the longest FX-thread stall while jobs stream
 *       chunks and the scene plays in a loop (a runLater ping every 2 ms and the gap between pulses).</li>
 * </ul>
 */
public final class EditorDemo {
    private Stage stage;
    private EditorView view;
    private EditorViewModel model;
    private FakeGenerationService service;
    private final Path out;
    private final boolean screenshots;

    private EditorDemo(Path out, boolean screenshots) {
        this.out = out;
        this.screenshots = screenshots;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "screenshots";
        if (mode.equals("benchmark")) {
            int pixels = args.length > 1 ? Integer.parseInt(args[1]) : 64;
            new EditorDemo(null, false).benchmark(pixels);
        } else {
            Path dir = Path.of(args.length > 1 ? args[1] : "target/demo");
            Files.createDirectories(dir);
            new EditorDemo(dir, true).screenshots();
        }
        Platform.exit();
        System.exit(0);
    }

    // ---- plumbing --------------------------------------------------------------------------------

    private static <T> T fx(Callable<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(action.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    private static void fxRun(Runnable action) throws Exception {
        fx(() -> {
            action.run();
            return null;
        });
    }

    private void open(Storyboard storyboard, FakeGenerationService fake, Path recovery) throws Exception {
        this.service = fake;
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get();
        fxRun(() -> {
            stage = new Stage();
            Random random = new Random(5);
            EditorEnvironment env = new EditorEnvironment(fake, UiThread.fx(), new ExecutorBackground(UiThread.fx()),
                    new FxEditorDialogs(() -> stage, () -> EditorView.STYLESHEET), null, new RecoveryStore(recovery), null,
                    () -> 1000 + random.nextInt(9000));
            model = new EditorViewModel(env, storyboard, null);
            view = new EditorView(model);
            stage.setScene(new Scene(view.root(), 1280, 800));
            view.install(stage);
            stage.setX(0);
            stage.setY(0);
            stage.show();
        });
        Thread.sleep(800);
    }

    private void shot(String name) throws Exception {
        if (!screenshots) {
            return;
        }
        Thread.sleep(250); // let layout and CSS settle
        BufferedImage image = fx(() -> SwingFXUtils.fromFXImage(stage.getScene().snapshot(null), null));
        Path file = out.resolve("editor-" + name + ".png");
        ImageIO.write(image, "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private void waitForJobs(long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            boolean busy = fx(() -> model.jobs().stream().anyMatch(JobEntry::isActive));
            if (!busy) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("jobs did not finish");
    }

    /** Drags a shot's right edge with the platform robot (a real mouse gesture). */
    private void dragEdge(String shotId, int frames, Runnable whileHeld) throws Exception {
        Point2D start = fx(() -> {
            Node edge = stage.getScene().lookup("#shot-edge-" + shotId);
            return edge.localToScreen(edge.getBoundsInLocal().getWidth() / 2, edge.getBoundsInLocal().getHeight() / 2);
        });
        double ppf = fx(() -> model.pixelsPerFrameProperty().get());
        Robot robot = fx(Robot::new);
        fxRun(() -> robot.mouseMove(start));
        Thread.sleep(100);
        fxRun(() -> robot.mousePress(MouseButton.PRIMARY));
        for (int i = 1; i <= 10; i++) {
            double x = start.getX() + frames * ppf * i / 10.0;
            fxRun(() -> robot.mouseMove(x, start.getY()));
            Thread.sleep(30);
        }
        whileHeld.run();
        fxRun(() -> robot.mouseRelease(MouseButton.PRIMARY));
        Thread.sleep(100);
    }

    private static Storyboard threeShots(int pixels) {
        return new Storyboard("The red ball", "a red striped ball in a sunny meadow", 8, pixels, pixels, List.of(
                Shot.planned("shot-1", "a red striped ball bounces in a sunny meadow", 16, CameraMove.STATIC, ShotSize.WIDE, 1001),
                Shot.planned("shot-2", "the red ball rolls to the left", 24, CameraMove.PAN_LEFT, ShotSize.MEDIUM, 1002),
                Shot.planned("shot-3", "close on the red ball as it spins", 12, CameraMove.ZOOM_IN, ShotSize.CLOSE_UP, 1003)));
    }

    // ---- screenshots -----------------------------------------------------------------------------

    private void screenshots() throws Exception {
        Path recovery = Files.createTempDirectory("storyboard-demo");
        open(Storyboard.empty("Untitled", 8, 64, 64), FakeGenerationService.threaded(70).chunkFrames(4).stepsPerChunk(6),
                recovery);
        shot("empty-state");

        fxRun(() -> {
            model.setScenePrompt("a red striped ball in a sunny meadow");
            model.setTitle("The red ball");
            model.addShot("a red striped ball bounces in a sunny meadow");
            model.addShot("the red ball rolls to the left");
            model.setCamera(model.selectedShot().id(), CameraMove.PAN_LEFT);
            model.addShot("close on the red ball as it spins");
            model.setShotSize(model.selectedShot().id(), ShotSize.CLOSE_UP);
            model.resizeShot(model.selectedShot().id(), 12);
            model.select("shot-1");
        });
        shot("three-shots");

        fxRun(() -> {
            model.selectAll();
            model.generateSelection();
            model.select("shot-1");
        });
        Thread.sleep(2200);
        shot("generating");
        fxRun(() -> ((TabPane) stage.getScene().lookup("#side-tabs")).getSelectionModel().select(2));
        Thread.sleep(900);
        shot("queue");
        fxRun(() -> ((TabPane) stage.getScene().lookup("#side-tabs")).getSelectionModel().select(0));
        waitForJobs(60_000);
        fxRun(() -> {
            model.select("shot-2");
            model.movePlayhead(24, false);
        });
        shot("generated");

        dragEdge("shot-2", 12, () -> {
            try {
                shot("drag-extend");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        shot("extending");
        waitForJobs(60_000);
        shot("extended"); // one undo entry: "Undo Extend Shot 2 to 36 frames", frames included
        fxRun(model::undo);
        Thread.sleep(500);
        shot("extend-undone"); // the take as before the drag: no missing frames, nothing stale
        fxRun(model::redo);
        Thread.sleep(300);
        fxRun(() -> {
            model.select("shot-1");
            model.generateSelection();
        });
        waitForJobs(60_000);
        fxRun(() -> model.movePlayhead(8, false));
        shot("stale");
        fxRun(() -> model.cancelAll());
        service.close();
    }

    // ---- benchmark -------------------------------------------------------------------------------

    /** Measures FX-thread responsiveness: a runLater ping every 2 ms (post → run latency) and pulse gaps. */
    private static final class StallMonitor {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        /** FX-thread CPU time consumed while each ping waited: the part of a stall that is our own work. */
        final List<Long> busy = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong maxPulseGap = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        AnimationTimer pulses;
        Thread pinger;

        void start() throws Exception {
            pulses = fx(() -> new AnimationTimer() {
                long last;

                @Override
                public void handle(long now) {
                    if (last != 0) {
                        maxPulseGap.accumulateAndGet(now - last, Math::max);
                    }
                    last = now;
                }
            });
            fxRun(pulses::start);
            long fxThread = fx(() -> Thread.currentThread().getId());
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            pinger = new Thread(() -> {
                while (running.get()) {
                    long cpu0 = threads.getThreadCpuTime(fxThread);
                    long posted = System.nanoTime();
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    Platform.runLater(() -> {
                        latencies.add(System.nanoTime() - posted);
                        busy.add(threads.getThreadCpuTime(fxThread) - cpu0);
                        done.complete(null);
                    });
                    try {
                        done.get(30, TimeUnit.SECONDS);
                        Thread.sleep(2);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "stall-monitor");
            pinger.setDaemon(true);
            pinger.start();
        }

        String stop() throws Exception {
            running.set(false);
            pinger.join();
            fxRun(pulses::stop);
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return "no samples";
            }
            int worst = latencies.indexOf(sorted.get(sorted.size() - 1));
            long maxBusy = busy.stream().mapToLong(Long::longValue).max().orElse(0);
            return String.format(Locale.ROOT, "stall max %6.1f ms (FX CPU in it %5.1f ms), p99 %6.1f ms, median %5.2f ms, "
                    + "max FX CPU per wait %5.1f ms (%d pings); pulse gap max %6.1f ms", sorted.get(sorted.size() - 1) / 1e6,
                    busy.get(worst) / 1e6, sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) / 1e6,
                    sorted.get(sorted.size() / 2) / 1e6, maxBusy / 1e6, sorted.size(), maxPulseGap.get() / 1e6);
        }
    }

    private String phase(String name, Callable<Void> work) throws Exception {
        StallMonitor monitor = new StallMonitor();
        monitor.start();
        long t0 = System.nanoTime();
        work.call();
        String result = monitor.stop();
        String line = String.format(Locale.ROOT, "%-34s %5.1f s  %s", name, (System.nanoTime() - t0) / 1e9, result);
        System.out.println(line);
        return line;
    }

    private void benchmark(int pixels) throws Exception {
        Path recovery = Files.createTempDirectory("storyboard-bench");
        open(threeShots(pixels), FakeGenerationService.threaded(20).chunkFrames(4).stepsPerChunk(8), recovery);
        System.out.printf(Locale.ROOT, "fx-stall benchmark: %dx%d frames, window 1280x800, prism %s%n", pixels, pixels,
                System.getProperty("prism.order", "default"));
        phase("idle", () -> {
            Thread.sleep(3000);
            return null;
        });
        phase("generate 3 shots (cold JVM)", () -> {
            fxRun(() -> {
                model.selectAll();
                model.generateSelection();
                model.select("shot-1");
            });
            waitForJobs(120_000);
            return null;
        });
        phase("playback only (scene loop)", () -> {
            fxRun(() -> model.playback().play());
            Thread.sleep(3000);
            fxRun(() -> model.playback().pause());
            return null;
        });
        phase("drag-extend shot 2 (+16 frames)", () -> {
            dragEdge("shot-2", 16, () -> { });
            waitForJobs(120_000);
            return null;
        });
        phase("regenerate shot 1 while playing", () -> {
            fxRun(() -> {
                model.select("shot-1");
                model.playback().play();
                model.generateSelection();
            });
            waitForJobs(120_000);
            fxRun(() -> model.playback().pause());
            return null;
        });
        phase("generate 3 shots again (warm)", () -> {
            fxRun(() -> {
                model.selectAll();
                model.generateSelection();
                model.select("shot-2");
            });
            waitForJobs(120_000);
            return null;
        });
        service.close();
    }
}
