package dev.storyboard.ui;

import dev.storyboard.domain.Shot;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * Shows the selected shot's settings. Read-only until editing lands as undoable commands (issue 6):
 * no field may change the storyboard behind the undo stack's back.
 */
public final class ShotInspector extends GridPane {
    public static final String ID = "inspector";

    private final TextArea prompt = new TextArea();
    private final TextField camera = readOnlyField();
    private final TextField shotSize = readOnlyField();
    private final TextField duration = readOnlyField();
    private final TextField seed = readOnlyField();
    private final TextField guidance = readOnlyField();

    public ShotInspector(ObjectProperty<Shot> selectedShot) {
        setId(ID);
        getStyleClass().add("shot-inspector");
        setPadding(new Insets(12));
        setHgap(8);
        setVgap(8);
        prompt.setEditable(false);
        prompt.setWrapText(true);
        prompt.setPrefRowCount(4);
        prompt.setId("inspector-prompt");
        GridPane.setHgrow(prompt, Priority.ALWAYS);
        ColumnConstraints labelColumn = new ColumnConstraints();
        labelColumn.setMinWidth(Region.USE_PREF_SIZE); // labels never truncate to "..."
        ColumnConstraints fieldColumn = new ColumnConstraints();
        fieldColumn.setHgrow(Priority.ALWAYS);
        getColumnConstraints().addAll(labelColumn, fieldColumn);
        Label heading = new Label("Shot");
        heading.getStyleClass().add("inspector-heading");
        add(heading, 0, 0, 2, 1);
        addRow(1, new Label("Prompt"), prompt);
        addRow(2, new Label("Camera"), camera);
        addRow(3, new Label("Framing"), shotSize);
        addRow(4, new Label("Duration"), duration);
        addRow(5, new Label("Seed"), seed);
        addRow(6, new Label("Guidance"), guidance);
        selectedShot.addListener((obs, old, now) -> show(now));
        show(selectedShot.get());
    }

    private static TextField readOnlyField() {
        TextField field = new TextField();
        field.setEditable(false);
        return field;
    }

    private void show(Shot shot) {
        setDisable(shot == null);
        prompt.setText(shot == null ? "" : shot.prompt());
        camera.setText(shot == null ? "" : shot.camera().promptPhrase());
        shotSize.setText(shot == null ? "" : shot.shotSize().promptPhrase());
        duration.setText(shot == null ? "" : shot.durationFrames() + " frames");
        seed.setText(shot == null ? "" : Long.toString(shot.seed()));
        guidance.setText(shot == null ? "" : String.format(Locale.ROOT, "%.1f", shot.guidance()));
    }
}
