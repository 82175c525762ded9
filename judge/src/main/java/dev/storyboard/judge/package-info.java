/**
 * Weight-free quality judge for generated video (issue 5); see docs/JUDGE.md.
 *
 * <ul>
 *   <li>{@code video}: clips in memory, reading videos and frame folders (JavaCV);</li>
 *   <li>{@code metrics}: SCuts (PySceneDetect's AdaptiveDetector), FFmpeg cross-check, motion-aware warp
 *   error, flicker, drift, seams, global camera motion;</li>
 *   <li>{@code storyworld}: the judge for the training domain (setting, actor, action, camera, identity);</li>
 *   <li>{@code report}: evaluation runs over scene sources, JSON and Markdown reports;</li>
 *   <li>{@code editor}: {@link dev.storyboard.judge.editor.ChunkInspector}, the hook the editor calls after a
 *   chunk lands.</li>
 * </ul>
 */
package dev.storyboard.judge;
