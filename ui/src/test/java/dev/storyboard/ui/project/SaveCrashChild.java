package dev.storyboard.ui.project;

import dev.storyboard.domain.CameraMove;
import dev.storyboard.domain.Shot;
import dev.storyboard.domain.ShotSize;
import dev.storyboard.domain.Storyboard;
import dev.storyboard.domain.Take;
import dev.storyboard.domain.TimelineInvariants;
import dev.storyboard.ui.EditorEnvironment;
import dev.storyboard.ui.EditorViewModel;
import dev.storyboard.ui.concurrent.Background;
import dev.storyboard.ui.concurrent.UiThread;
import dev.storyboard.ui.fake.SilentDialogs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link SaveCrashTest}: an editor session (view model, no window) that keeps editing,
 * autosaving and saving a large project through the editor's own save path until it is killed.
 */
public final class SaveCrashChild {
    private SaveCrashChild() {
    }

    /** Args: project file, recovery folder. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Path recovery = Path.of(args[1]);
        EditorEnvironment env = new EditorEnvironment(null, UiThread.direct(), Background.sameThread(),
                new SilentDialogs(), null, new RecoveryStore(recovery, "child"), null, () -> 7);
        EditorViewModel vm = new EditorViewModel(env, large(), null);
        vm.saveTo(file, () -> { });
        System.out.println("SAVED 0");
        System.out.flush();
        for (int i = 1; ; i++) {
            vm.setScenePrompt("version " + i);
            vm.autosave();
            System.out.println("SAVING " + i);
            System.out.flush();
            vm.saveTo(file, () -> { });
            System.out.println("SAVED " + i);
            System.out.flush();
        }
    }

    /** A project near the editor's limits (~10 MB of JSON), so a save takes long enough to interrupt. */
    static Storyboard large() {
        List<Shot> shots = new ArrayList<>();
        String prompt = "a red striped ball bounces in a sunny meadow ".repeat(80);
        for (int i = 0; i < TimelineInvariants.MAX_SHOTS; i++) {
            List<Take> takes = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                takes.add(new Take("take-" + i + "-" + t, t, 16, "shot-" + i + "/take-" + i + "-" + t));
            }
            shots.add(new Shot("shot-" + i, prompt, 16, CameraMove.PAN_LEFT, ShotSize.MEDIUM, i, 4.0, takes, takes.get(0).id()));
        }
        return new Storyboard("Big scene", "version 0", 8, 64, 64, shots);
    }
}
