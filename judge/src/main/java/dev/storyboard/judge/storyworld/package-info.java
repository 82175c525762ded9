/** The storyworld judge: classical computer vision against the renderer's own palette and shapes. */
package dev.storyboard.judge.storyworld;
