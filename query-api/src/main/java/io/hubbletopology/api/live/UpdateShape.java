package io.hubbletopology.api.live;

/**
 * How a live topology client gets the changes after its snapshot, from its {@code updates} parameter. {@code
 * messages} (the default, what every client got before there was a choice): one message per change. {@code
 * batched}: the changes its sender takes together (up to {@value FeedClient#BATCH}, each the newest state of its
 * edge or link) go in one {@code {"type":"batch","state":"changes","messages":[...]}} ({@link FeedMessages#changes}),
 * the messages unchanged and in order; a change taken alone goes as it is. With 2,000 clients the server then sends
 * a frame per batch instead of per change, and a page handles one message where it had tens.
 *
 * <pre>{@code
 * UpdateShape updates = UpdateShape.parse(ctx.queryParam("updates"));   // BadParameterException naming it
 * }</pre>
 */
public enum UpdateShape {

    MESSAGES,
    BATCHED;

    /** The shape an {@code updates} parameter names; absent or empty: {@link #MESSAGES}. */
    public static UpdateShape parse(String value) {
        return BatchChoice.batched("updates", value) ? BATCHED : MESSAGES;
    }
}
