package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The schema check refuses what the description does not allow, so a passing integration test means something. */
class ResponseSchemasTest {

    private static final String LINK = "{\"schema\":\"hubble-topology.link/v1\",\"node\":\"node-1\",\"name\":\"eth0\","
            + "\"state\":\"up\",\"carrier\":1,\"speed\":null,\"mtu\":1500,\"mac\":\"\",\"rx_bytes_per_s\":null,"
            + "\"tx_bytes_per_s\":null,\"errors_per_s\":null,\"drops_per_s\":null,\"last_change\":\"2026-12-01T10:00:00Z\","
            + "\"observed\":\"2026-12-01T10:00:00Z\",\"removed\":false";
    private static final String COMPLETE = ",\"as_of\":\"2026-12-01T10:00:01Z\",\"partial\":false}";

    @Test
    void takesAnAnswerAsTheServerWritesItNullsWhereTheRecordHasNoValue() {
        assertThatCode(() -> ResponseSchemas.assertDocumented("GET", "/api/v1/links", 200,
                "{\"links\":[" + LINK + "}]" + COMPLETE)).doesNotThrowAnyException();
    }

    @Test
    void refusesAFieldTheDescriptionDoesNotName() {
        assertThatThrownBy(() -> ResponseSchemas.assertDocumented("GET", "/api/v1/links", 200,
                "{\"links\":[" + LINK + ",\"colour\":\"blue\"}]" + COMPLETE)).isInstanceOf(AssertionError.class);
    }

    @Test
    void refusesAMissingRequiredFieldAndANullWhereNoneIsAllowed() {
        assertThatThrownBy(() -> ResponseSchemas.assertDocumented("GET", "/api/v1/links", 200, "{\"links\":[]}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ResponseSchemas.assertDocumented("GET", "/api/v1/links", 200,
                "{\"links\":[" + LINK.replace("\"node\":\"node-1\"", "\"node\":null") + "}]" + COMPLETE))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void refusesAStatusTheRouteDoesNotDocument() {
        assertThatThrownBy(() -> ResponseSchemas.assertDocumented("GET", "/api/v1/links", 418, "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not describe");
    }

    @Test
    void findsTheRouteOfARequestAsSentAndHoldsOnlyJsonToASchema() {
        assertThatCode(() -> ResponseSchemas.assertAnswer("GET", "/api/v1/links/?node=n1", 200, "application/json",
                "{\"links\":[]" + COMPLETE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ResponseSchemas.assertAnswer("GET", "/api/v1/links?node=n1", 200, "application/json;charset=utf-8",
                "{\"links\":[]}")).isInstanceOf(AssertionError.class);
        assertThatCode(() -> ResponseSchemas.assertAnswer("GET", "/metrics", 200, "text/plain; version=0.0.4", "# HELP"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ResponseSchemas.assertAnswer("GET", "/metrics", 503, "text/plain", ""))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not describe");
        assertThatThrownBy(() -> ResponseSchemas.assertAnswer("GET", "/no/such/route", 404, "application/json", "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("routes to no path");
    }

    @Test
    void holdsAnErrorBodyToTheOneErrorShape() {
        assertThatCode(() -> ResponseSchemas.assertError("{\"error\":\"not_found\",\"message\":\"no such path: /x\"}"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ResponseSchemas.assertError("Unauthorized")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ResponseSchemas.assertError("{\"error\":\"unauthorized\"}")).isInstanceOf(AssertionError.class);
    }

    @Test
    void followsASharedResponseOfEveryRoute() {
        assertThatCode(() -> ResponseSchemas.assertDocumented("GET", "/api/v1/links", 414,
                "{\"error\":\"bad_request\",\"message\":\"URI Too Long\"}")).doesNotThrowAnyException();
    }
}
