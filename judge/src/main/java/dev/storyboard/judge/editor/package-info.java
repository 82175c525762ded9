/** The editor's hook: flags for the timeline after a chunk lands. Plain Java, no JavaFX. */
package dev.storyboard.judge.editor;
