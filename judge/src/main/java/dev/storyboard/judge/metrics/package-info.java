/** Metrics on any video: cuts, warp error, flicker, drift, seams, global motion. */
package dev.storyboard.judge.metrics;
