package dev.storyboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.export.EditorialRate;
import dev.storyboard.domain.export.SceneExporter;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.SilentDialogs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportMp4Test {
    @TempDir Path dir;
    private final SilentDialogs dialogs = new SilentDialogs();
    private final List<Path> exported = new ArrayList<>();
    private final List<EditorialRate> rates = new ArrayList<>();

    private EditorViewModel model(Storyboard sb, SceneExporter exporter) {
        EditorEnvironment env = new EditorEnvironment(null, UiThread.direct(), Background.sameThread(), dialogs, null, null,
                null, () -> 7, exporter);
        return new EditorViewModel(env, sb, dir.resolve("scene.storyboard"));
    }

    private static Storyboard scene(boolean secondGenerated) {
        Shot a = new Shot("a", "a red ball", 8, CameraMove.STATIC, ShotSize.WIDE, 1, 4,
                List.of(new Take("t1", 1, 8, "a/t1")), "t1");
        Shot b = secondGenerated
                ? new Shot("b", "a blue cube", 8, CameraMove.STATIC, ShotSize.WIDE, 2, 4, List.of(new Take("t2", 2, 12, "b/t2")), "t2")
                : Shot.planned("b", "a blue cube", 8, CameraMove.STATIC, ShotSize.WIDE, 2);
        return new Storyboard("My scene!", "", 8, 64, 64, List.of(a, b));
    }

    @Test
    void exportsTheSceneToTheChosenFileInTheBackground() {
        EditorViewModel model = model(scene(true), (sb, media, target, rate, progress, cancelled) -> exported.add(target));
        assertThat(model.canExport()).isTrue();
        dialogs.willSave(dir.resolve("out"));
        model.exportMp4();
        assertThat(exported).containsExactly(dir.resolve("out.mp4"));
        assertThat(model.noticeProperty().get().text()).contains("Exported out.mp4");
        assertThat(dialogs.errors()).isEmpty();
    }

    @Test
    void theChosenRateReachesTheExporterNativeFirstThenTheLastChoice() {
        EditorViewModel model = model(scene(true), (sb, media, target, rate, progress, cancelled) -> {
            exported.add(target);
            rates.add(rate);
        });
        dialogs.willSave(dir.resolve("native.mp4"));
        model.exportMp4();
        dialogs.willExportAt(EditorialRate.FPS_24);
        dialogs.willSave(dir.resolve("film.mp4"));
        model.exportMp4();
        dialogs.willSave(dir.resolve("again.mp4"));
        model.exportMp4();
        assertThat(rates).containsExactly(EditorialRate.of(8), EditorialRate.FPS_24, EditorialRate.FPS_24);
        assertThat(dialogs.rateQuestions()).containsExactly("native 8 fps, preselected 8 fps",
                "native 8 fps, preselected 8 fps", "native 8 fps, preselected 24 fps");
        assertThat(model.noticeProperty().get().text()).contains("Exported again.mp4").contains("held to 24 fps");
    }

    @Test
    void shotsWithoutTakesAreNamedAndNothingIsExported() {
        EditorViewModel model = model(scene(false), (sb, media, target, rate, progress, cancelled) -> exported.add(target));
        assertThat(model.canExport()).isFalse();
        model.exportMp4();
        assertThat(exported).isEmpty();
        assertThat(dialogs.errors()).singleElement().asString().contains("Shot 2 has no generated frames covering its length");
    }

    @Test
    void exporterFailuresReachTheUser() {
        EditorViewModel model = model(scene(true), (sb, media, target, rate, progress, cancelled) -> {
            throw new IOException("cannot write " + target + ": folder does not exist");
        });
        dialogs.willSave(dir.resolve("x.mp4"));
        model.exportMp4();
        assertThat(dialogs.errors()).singleElement().asString().contains("folder does not exist").contains("No file was written");
        assertThat(model.busyProperty().get()).isFalse();
    }
}
