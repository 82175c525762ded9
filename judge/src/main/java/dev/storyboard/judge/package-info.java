/** Weight-free quality judge for generated video (issue 5). */
package dev.storyboard.judge;
