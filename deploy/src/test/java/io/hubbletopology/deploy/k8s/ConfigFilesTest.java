package io.hubbletopology.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.config.ConfigCatalog;

/** The YAML config files the manifests mount hold only keys their role reads: a typo would be ignored otherwise. */
class ConfigFilesTest {

    static Stream<Path> configFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            List<Path> found = files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("config"))
                    .filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(found).as("config files under deploy/k8s").isNotEmpty();
            return found.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configFiles")
    void everyKeyIsOneItsRoleReads(Path file) {
        String role = file.getFileName().toString().replace(".yaml", "");
        ConfigValues values = ConfigValues.load(file, java.util.Map.of(), java.util.Map.of());
        assertThat(values.unknownFileKeys(ConfigCatalog.keys(role))).as(file + " keys unknown to the " + role + " role").isEmpty();
        // Every key it sets parses: a bad value fails here, not at a pod's start.
        ConfigCatalog.keys(role).forEach(values::get);
    }
}
