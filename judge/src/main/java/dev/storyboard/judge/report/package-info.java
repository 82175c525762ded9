/** Evaluation runs over scene sources and their JSON/Markdown reports (the {@code storyboard eval} command). */
package dev.storyboard.judge.report;
