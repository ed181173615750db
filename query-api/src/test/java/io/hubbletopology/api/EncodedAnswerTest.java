package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class EncodedAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"partial\":false,\"links\":[" + "{\"src\":\"shop/web\",\"dst\":\"shop/cart\"},".repeat(500) + "{}]}";

    @Test
    void gzipBytesDecodeToTheSameJson() throws Exception {
        EncodedAnswer answer = EncodedAnswer.of(BODY.getBytes(StandardCharsets.UTF_8));
        byte[] plain;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(answer.bytes(true)))) {
            plain = in.readAllBytes();
        }
        assertThat(plain).isEqualTo(answer.bytes(false));
        assertThat(JSON.readTree(plain)).isEqualTo(JSON.readTree(BODY));
        assertThat(answer.bytes(true)).as("made once").isSameAs(answer.bytes(true));
        assertThat(answer.size()).isEqualTo(BODY.length() + answer.bytes(true).length);
    }

    @Test
    void theTagFollowsTheBytesAndDiffersPerEncoding() {
        EncodedAnswer one = EncodedAnswer.of(BODY.getBytes(StandardCharsets.UTF_8));
        EncodedAnswer same = EncodedAnswer.of(BODY.getBytes(StandardCharsets.UTF_8));
        EncodedAnswer other = EncodedAnswer.of(BODY.replace("false", "true").getBytes(StandardCharsets.UTF_8));
        assertThat(one.etag(false)).isEqualTo(same.etag(false)).startsWith("\"").endsWith("\"");
        assertThat(one.etag(false)).isNotEqualTo(other.etag(false)).isNotEqualTo(one.etag(true));
        assertThat(one.etag(true)).isEqualTo(same.etag(true)).endsWith("-gzip\"");
    }
}
