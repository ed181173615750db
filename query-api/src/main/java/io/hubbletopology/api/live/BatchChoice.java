package io.hubbletopology.api.live;

import io.hubbletopology.processor.errors.BadParameterException;

/**
 * The one rule of the live feed's shape parameters ({@code snapshot}, {@code updates}): {@code messages} (also when
 * absent or empty: what every client got before there was a choice) or {@code batched}; anything else is a bad
 * parameter, named.
 *
 * <pre>{@code
 * boolean batched = BatchChoice.batched("updates", ctx.queryParam("updates"));
 * }</pre>
 */
final class BatchChoice {

    private BatchChoice() {
    }

    /** Whether {@code value} asks for batched messages; throws BadParameterException naming {@code parameter}. */
    static boolean batched(String parameter, String value) {
        if (value == null || value.isEmpty() || value.equals("messages")) {
            return false;
        }
        if (value.equals("batched")) {
            return true;
        }
        throw new BadParameterException(parameter, "'" + value + "' is neither messages nor batched");
    }
}
