package dev.storyboard.ui.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storyboard.domain.export.EditorialRate;
import org.junit.jupiter.api.Test;

/** The editor's export dialog offers native first, then every editorial rate. */
class RateChoicesTest {
    @Test
    void nativeComesFirstThenTheStandardRatesWithHowTheyAreReached() {
        var choices = FxEditorDialogs.rateChoices(8);
        assertThat(choices).extracting(FxEditorDialogs.RateChoice::rate).containsExactly(EditorialRate.of(8),
                EditorialRate.FPS_23_976, EditorialRate.FPS_24, EditorialRate.FPS_25, EditorialRate.FPS_29_97,
                EditorialRate.FPS_30, EditorialRate.FPS_50, EditorialRate.FPS_60);
        assertThat(choices.get(0).toString()).isEqualTo("Native (8 fps, the model's own frames)");
        assertThat(choices.get(2).toString()).isEqualTo("24 fps (frames held, exact)");
        assertThat(choices.get(3).toString()).isEqualTo("25 fps (frames held, cuts on the nearest frame)");
        assertThat(choices.get(4).toString()).isEqualTo("29.97 fps (frames held, cuts on the nearest frame)");
    }

    @Test
    void aSceneAlreadyAtAnEditorialRateIsListedOnceAsNative() {
        var choices = FxEditorDialogs.rateChoices(24);
        assertThat(choices).extracting(FxEditorDialogs.RateChoice::rate).doesNotHaveDuplicates().hasSize(7);
        assertThat(choices.get(0).rate()).isEqualTo(EditorialRate.FPS_24);
    }
}
