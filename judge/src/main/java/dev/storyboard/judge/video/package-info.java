/** Clips in memory ({@link dev.storyboard.judge.video.Clip}) and reading videos and frame images. */
package dev.storyboard.judge.video;
