package dev.storyboard.media.timeline;

/** Renders a timeline into one interchange format. */
public interface TimelineWriter {
    String write(EditTimeline timeline);
}
