package io.hubbletopology.deploy.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Every variable the Ansible role can write into a role's environment file is one that role reads, and has
 * its default (hubble_topology_NAME in lower case) in defaults/main.yml. AnsibleRoleIT renders the files.
 */
class AnsibleVariablesTest {

    private static final Path ROLE = AnsiblePlaybook.DIR.resolve("roles/hubble_topology");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyNameTheTemplateWritesIsReadByItsRoleAndHasADefault() throws Exception {
        JsonNode names = YAML.readTree(ROLE.resolve("vars/main.yml").toFile()).path("hubble_topology_env_names");
        JsonNode defaults = YAML.readTree(ROLE.resolve("defaults/main.yml").toFile());
        List<String> roles = new ArrayList<>();
        names.fieldNames().forEachRemaining(roles::add);
        assertThat(roles).containsExactlyInAnyOrder("broker", "processor", "ingest", "sink");
        for (String role : roles) {
            SystemdUnit unit = SystemdUnit.read(SystemdUnit.DIR.resolve("hubble-topology-" + role + ".service"));
            List<String> listed = new ArrayList<>();
            names.path(role).forEach(n -> listed.add(n.asText()));
            assertThat(listed).as("vars/main.yml " + role).isNotEmpty().isSubsetOf(RoleEnvironment.readBy(unit, null));
            for (String name : listed) {
                assertThat(defaults.has("hubble_topology_" + name.toLowerCase(Locale.ROOT)))
                        .as("defaults/main.yml defines hubble_topology_" + name.toLowerCase(Locale.ROOT)).isTrue();
            }
            assertThat(defaults.path("hubble_topology_jdk_java_options").has(role)).as("JVM flags for " + role).isTrue();
        }
    }
}
