package io.hubbletopology.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.hubbletopology.config.ConfigKey;

class ConfigReferenceTest {

    @Test
    void docsConfigurationMatchesTheConfigClasses() throws Exception {
        String current = ConfigReference.markdown();
        Path generated = Path.of("target", "configuration.md");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, current);
        assertThat(Files.readString(Path.of("..", "docs", "configuration.md")))
                .as("docs/configuration.md is out of date: copy deploy/target/configuration.md over it")
                .isEqualTo(current);
    }

    @Test
    void listsEveryKeyOfEveryRoleWithItsVariable() {
        String md = ConfigReference.markdown();
        for (String role : ConfigReference.roles()) {
            for (ConfigKey<?> key : ConfigCatalog.keys(role)) {
                assertThat(md).contains("| `" + key.name() + "` |");
                if (key.env() != null) {
                    assertThat(md).contains("`" + key.env() + "`");
                }
            }
        }
    }
}
