package dev.storyboard.ui.timeline;

import java.util.List;
import java.util.stream.Stream;
import javafx.geometry.HPos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;

/**
 * A shot card's meta line: the meta text (camera · framing · seed) on the left; badges and the status on the
 * right. Short of width, the status gives way first (down to nothing), then the meta text, which ends in "…"
 * instead of being cut by the card's edge. The badges keep their width.
 */
final class CardMetaLine extends Pane {
    private static final double SPACING = 6;

    private final Label meta;
    private final List<Label> badges;
    private final Label status;

    CardMetaLine(Label meta, List<Label> badges, Label status) {
        this.meta = meta;
        this.badges = List.copyOf(badges);
        this.status = status;
        meta.setMinWidth(0);                  // the line decides their widths; a short one ends in "…"
        status.setMinWidth(0);
        getChildren().add(meta);
        getChildren().addAll(this.badges);
        getChildren().add(status);
    }

    private List<Label> shownRight() {
        return Stream.concat(badges.stream(), Stream.of(status))
                .filter(Node::isManaged).filter(Node::isVisible).toList();
    }

    @Override
    protected double computeMinWidth(double height) {
        return snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefWidth(double height) {
        double width = meta.prefWidth(-1);
        for (Label l : shownRight()) {
            width += SPACING + l.prefWidth(-1);
        }
        return snappedLeftInset() + width + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        double height = meta.prefHeight(-1);
        for (Label l : shownRight()) {
            height = Math.max(height, l.prefHeight(-1));
        }
        return snappedTopInset() + height + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        double left = snappedLeftInset();
        double top = snappedTopInset();
        double width = getWidth() - left - snappedRightInset();
        double height = getHeight() - top - snappedBottomInset();
        List<Label> right = shownRight();
        double badgeWidth = 0;
        for (Label b : right) {
            if (b != status) {
                badgeWidth += b.prefWidth(-1) + SPACING;
            }
        }
        double metaWidth = Math.max(0, Math.min(meta.prefWidth(-1), width - badgeWidth));
        double statusWidth = right.contains(status)
                ? Math.max(0, Math.min(status.prefWidth(-1), width - badgeWidth - metaWidth - SPACING)) : 0;
        layoutInArea(meta, left, top, metaWidth, height, 0, HPos.LEFT, VPos.CENTER);
        double x = left + width;
        if (right.contains(status)) {
            x -= statusWidth;
            layoutInArea(status, x, top, statusWidth, height, 0, HPos.LEFT, VPos.CENTER);
            x -= SPACING;
        }
        for (int i = right.size() - 1; i >= 0; i--) {
            Label b = right.get(i);
            if (b == status) {
                continue;
            }
            double w = b.prefWidth(-1);
            x -= w;
            layoutInArea(b, x, top, w, height, 0, HPos.LEFT, VPos.CENTER);
            x -= SPACING;
        }
    }
}
