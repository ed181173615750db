package io.hubbletopology.api.flows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.hubbletopology.processor.errors.BadParameterException;


/**
 * Where the next page of a flow query starts: per partition, the offset to continue from (exclusive upper
 * bound when newest first, inclusive lower bound when oldest first). Opaque to clients: URL-safe base64.
 */
record FlowCursor(boolean newestFirst, Map<Integer, Long> offsets) {

    String encode() {
        String body = (newestFirst ? "n" : "o") + ":" + offsets.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    static FlowCursor decode(String text) {
        try {
            String body = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            boolean newest = body.startsWith("n:");
            if (!newest && !body.startsWith("o:")) {
                throw new IllegalArgumentException();
            }
            Map<Integer, Long> offsets = new LinkedHashMap<>();
            String list = body.substring(2);
            if (!list.isEmpty()) {
                for (String pair : list.split(",")) {
                    String[] kv = pair.split("=");
                    offsets.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
                }
            }
            return new FlowCursor(newest, offsets);
        } catch (RuntimeException e) {
            throw new BadParameterException("cursor", "not a cursor this API returned");
        }
    }
}
