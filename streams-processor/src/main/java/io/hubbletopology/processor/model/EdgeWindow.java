package io.hubbletopology.processor.model;

/** One edge's figures in one window, {@code [startMs, endMs)}. */
public record EdgeWindow(long startMs, long endMs, EdgeStats stats) {
}
