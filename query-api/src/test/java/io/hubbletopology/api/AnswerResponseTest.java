package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerResponseTest {

    @Test
    void gzipIsSentOnlyWhenTheClientTakesIt() {
        assertThat(AnswerResponse.acceptsGzip("gzip")).isTrue();
        assertThat(AnswerResponse.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(AnswerResponse.acceptsGzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(AnswerResponse.acceptsGzip("*")).isTrue();
        assertThat(AnswerResponse.acceptsGzip(null)).isFalse();
        assertThat(AnswerResponse.acceptsGzip("")).isFalse();
        assertThat(AnswerResponse.acceptsGzip("identity")).isFalse();
        assertThat(AnswerResponse.acceptsGzip("deflate, br")).isFalse();
        assertThat(AnswerResponse.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(AnswerResponse.acceptsGzip("*, gzip;q=0")).isFalse();
        assertThat(AnswerResponse.acceptsGzip("gzip;q=nonsense")).isFalse();
    }

    @Test
    void aTagMatchesByWeakComparison() {
        String tag = "\"abc\"";
        assertThat(AnswerResponse.matches("\"abc\"", tag)).isTrue();
        assertThat(AnswerResponse.matches("W/\"abc\"", tag)).isTrue();
        assertThat(AnswerResponse.matches("\"x\", \"abc\"", tag)).isTrue();
        assertThat(AnswerResponse.matches("*", tag)).isTrue();
        assertThat(AnswerResponse.matches("\"abc-gzip\"", tag)).isFalse();
        assertThat(AnswerResponse.matches("abc", tag)).isFalse();
        assertThat(AnswerResponse.matches(null, tag)).isFalse();
    }
}
