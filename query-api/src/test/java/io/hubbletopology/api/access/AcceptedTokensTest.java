package io.hubbletopology.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceptedTokensTest {

    @TempDir
    Path dir;

    /** Tokens listed in the configuration and read from {@code file}, watching it as the API does once started. */
    private static AcceptedTokens watching(List<String> listed, Path file) {
        AcceptedTokens tokens = new AcceptedTokens(listed, file);
        tokens.watch();
        return tokens;
    }

    @Test
    void readsOneTokenPerLineOrCommaSeparatedIgnoringBlanksAndWhitespace() {
        assertThat(TokenFile.parse("\n  a  \r\n\n b,c ,, \n a\n")).containsExactly("a", "b", "c");
        assertThat(TokenFile.parse(" \n\n")).isEmpty();
    }

    @Test
    void withoutTokensOrAFileEveryoneIsAllowed() {
        AcceptedTokens none = new AcceptedTokens(List.of(), null);
        assertThat(none.enabled()).isFalse();
        assertThat(none.allows(null, null)).isTrue();
        assertThat(none.forPeers()).isNull();
    }

    @Test
    void acceptsTheBearerSchemeInAnyCaseOrTheQueryParameter() {
        AcceptedTokens tokens = new AcceptedTokens(List.of("t1"), null);
        assertThat(tokens.allows("Bearer t1", null)).isTrue();
        assertThat(tokens.allows("bearer t1", null)).isTrue();
        assertThat(tokens.allows(null, "t1")).isTrue();
        assertThat(tokens.allows("Bearer t2", "t1")).as("a wrong header is not rescued by the parameter").isFalse();
        assertThat(tokens.allows("Basic t1", null)).isFalse();
        assertThat(tokens.allows("Bearer ", null)).isFalse();
        assertThat(tokens.allows(null, "")).isFalse();
        assertThat(tokens.allows(null, null)).isFalse();
    }

    @Test
    void aConfiguredFileThatIsMissingOrEmptyAdmitsNobodyInsteadOfOpeningTheApi() throws Exception {
        Path file = dir.resolve("tokens");
        try (AcceptedTokens tokens = watching(List.of(), file)) {
            assertThat(tokens.enabled()).isTrue();
            assertThat(tokens.allows(null, null)).isFalse();
            assertThat(tokens.forPeers()).isNull();
            Files.writeString(file, "\n\n");
            tokens.reload();
            assertThat(tokens.allows("Bearer ", null)).isFalse();
        }
    }

    @Test
    void peersAreGivenACurrentTokenListedTokensFirst() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "old\nnew\n");
        try (AcceptedTokens fromFile = watching(List.of(), file)) {
            assertThat(fromFile.forPeers()).isEqualTo("old");
            Files.writeString(file, "new\n");
            fromFile.reload();
            assertThat(fromFile.forPeers()).isEqualTo("new");
            assertThat(fromFile.allows("Bearer old", null)).isFalse();
        }
        try (AcceptedTokens both = watching(List.of("listed"), file)) {
            assertThat(both.forPeers()).isEqualTo("listed");
            assertThat(both.allows("Bearer new", null)).isTrue();
            assertThat(both.allows("Bearer listed", null)).isTrue();
        }
    }

    @Test
    void keepsTheLastTokensReadWhenTheFileGoesAwayForAMoment() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "kept\n");
        try (AcceptedTokens tokens = watching(List.of(), file)) {
            Files.delete(file);
            tokens.reload();
            assertThat(tokens.allows("Bearer kept", null)).isTrue();
        }
    }
}
