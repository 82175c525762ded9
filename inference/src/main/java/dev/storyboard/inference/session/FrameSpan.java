package dev.storyboard.inference.session;

import dev.storyboard.inference.dit.AttentionMask;

/** Latent frames [start, start + count) of a shot and the attention mask their forward runs under. */
record FrameSpan(int start, int count, AttentionMask mask) {
}
