package io.hubbletopology.deploy.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.config.ConfigCatalog;

/**
 * The Ansible role of deploy/ansible, run on this machine without changing it: once in check mode against
 * the real paths (it must plan every task and change nothing), and for real with every destination under a
 * temporary root and the parts that would change the machine turned off (package install, user creation,
 * systemctl). The real run proves the files it lays out: the jar, the units as shipped, environment files
 * holding only variables the roles read, YAML files the roles parse; that a second run changes nothing and
 * that a changed setting notifies its role's restart. It cannot prove that apt, useradd and systemctl do their
 * part: those tasks only run in check mode here.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AnsibleRoleIT {

    private static final List<String> ROLES = List.of("broker", "processor", "ingest", "sink");
    private static final Path JAR = Path.of("target", "hubble-topology.jar");
    private static final String REMOTE_WRITE_URL = "http://prometheus.example.internal:9090/api/v1/write";
    /** Quotes, a backslash and a dollar: what a JAAS line or a token may hold, and the env file must keep. */
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"hubble-topology\" password=\"p\\a$$w`rd\";";

    @TempDir
    Path work;

    @Test
    void checkModePlansEveryTaskOnThisMachineAndChangesNothing() throws Exception {
        Map<String, Boolean> before = etcState();
        Map<String, Object> vars = new HashMap<>(Map.of("hubble_topology_roles", ROLES, "hubble_topology_jar_src", jar().toString(),
                "hubble_topology_remote_write_url", REMOTE_WRITE_URL));
        // systemctl answers only where systemd is the init system (a container often has none): elsewhere
        // the service tasks are left out, everything else is planned against the real paths.
        boolean systemdRuns = Files.isDirectory(Path.of("/run/systemd/system"));
        vars.put("hubble_topology_manage_services", systemdRuns);

        AnsiblePlaybook.Run run = new AnsiblePlaybook(work).run(vars, "--check", "--diff");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.recap("failed")).isZero();
        assertThat(run.output()).contains("Install a Java runtime", "Create the service user", "Write the environment files");
        assertThat(etcState()).as("check mode wrote nothing").isEqualTo(before);
    }

    @Test
    void aSinkWithoutItsEndpointFailsBeforeAnythingIsInstalled() throws Exception {
        Map<String, Object> vars = Map.of("hubble_topology_roles", List.of("sink"), "hubble_topology_jar_src", jar().toString());

        AnsiblePlaybook.Run run = new AnsiblePlaybook(work).run(vars, "--check");

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("the sink role needs hubble_topology_remote_write_url").doesNotContain("Install a Java runtime");
    }

    @Test
    void aRealRunIntoARootLaysOutWhatTheUnitsNeedAndASecondRunChangesNothing() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Map<String, Object> vars = realRunVariables(root);
        AnsiblePlaybook playbook = new AnsiblePlaybook(work);

        AnsiblePlaybook.Run first = playbook.run(vars);
        assertThat(first.exitCode()).as(first.output()).isZero();

        Path jar = root.resolve(SystemdUnit.JAR.substring(1));
        assertThat(jar).hasSize(Files.size(jar()));
        for (String role : ROLES) {
            SystemdUnit shipped = SystemdUnit.read(SystemdUnit.DIR.resolve("hubble-topology-" + role + ".service"));
            Path unit = root.resolve("etc/systemd/system").resolve(shipped.file().getFileName());
            assertThat(unit).hasSameTextualContentAs(shipped.file());
            Path env = root.resolve(shipped.value("EnvironmentFile").substring(1));
            assertThat(mode(env)).as(env + ": read by systemd only, it may hold credentials").isEqualTo("rw-------");
            Path yaml = role.equals("broker") ? null : root.resolve("etc/hubble-topology/" + role + ".yaml");
            Map<String, String> written = EnvironmentFile.read(env);
            assertThat(written.keySet()).as(env + ": the " + role + " role reads only these")
                    .isSubsetOf(RoleEnvironment.readBy(shipped, yaml));
            if (yaml != null) {
                assertThat(mode(yaml)).isEqualTo("rw-r-----");
                ConfigValues values = ConfigValues.load(yaml, written, Map.of());
                assertThat(values.unknownFileKeys(ConfigCatalog.keys(role))).as(yaml.toString()).isEmpty();
                ConfigCatalog.keys(role).forEach(values::get);
            }
            SystemdUnitsIT.assertVerifies(new SystemdAnalyze(), unit, work.resolve("verify-" + role));
        }
        Map<String, String> processor = EnvironmentFile.read(root.resolve("etc/hubble-topology/processor.env"));
        assertThat(processor).containsEntry("KAFKA_SASL_JAAS_CONFIG", JAAS).containsEntry("APPLICATION_SERVER", "10.0.0.21:8080")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka-01:9092").doesNotContainKey("STREAM_THREADS");
        assertThat(EnvironmentFile.read(root.resolve("etc/hubble-topology/broker.env"))).containsEntry("BROKER_HOST", "10.0.0.9");
        assertThat(EnvironmentFile.read(root.resolve("etc/hubble-topology/ingest.env"))).containsEntry("HEALTH_PORT", "9181");
        assertThat(EnvironmentFile.read(root.resolve("etc/hubble-topology/sink.env")))
                .containsEntry("REMOTE_WRITE_URL", REMOTE_WRITE_URL).containsEntry("SINK_EXTRA_LABELS", "cluster=prod")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka-01:9092")
                .as("the ingest's health port is not the sink's: both on one host would clash").doesNotContainKey("HEALTH_PORT");

        AnsiblePlaybook.Run second = playbook.run(vars);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.recap("changed")).as(second.output()).isZero();
        assertThat(second.output()).doesNotContain("RUNNING HANDLER");

        vars.put("hubble_topology_api_port", 8090);
        AnsiblePlaybook.Run changed = playbook.run(vars);
        assertThat(changed.exitCode()).as(changed.output()).isZero();
        // The handler's items are the roles it would restart (skipped here: no systemctl).
        String handler = changed.output().substring(changed.output().indexOf("RUNNING HANDLER [hubble_topology : restart hubble-topology]"));
        assertThat(handler).as("a processor setting restarts the processor only").contains("(item=processor)")
                .doesNotContain("(item=ingest)", "(item=broker)", "(item=sink)");
        assertThat(EnvironmentFile.read(root.resolve("etc/hubble-topology/processor.env"))).containsEntry("API_PORT", "8090");
    }

    private static Map<String, Object> realRunVariables(Path root) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("hubble_topology_roles", ROLES);
        vars.put("hubble_topology_jar_src", jar().toAbsolutePath().toString());
        vars.put("hubble_topology_root", root.toAbsolutePath().toString());
        vars.put("hubble_topology_manage_packages", false);
        vars.put("hubble_topology_manage_user", false);
        vars.put("hubble_topology_manage_services", false);
        // The service group does not exist here (no user is created); root owns the files instead.
        vars.put("hubble_topology_group", "root");
        vars.put("hubble_topology_kafka_bootstrap_servers", "kafka-01:9092");
        vars.put("hubble_topology_application_server", "10.0.0.21:8080");
        vars.put("hubble_topology_broker_host", "10.0.0.9");
        vars.put("hubble_topology_hubble_addr", "hubble-relay.example.internal:4245");
        vars.put("hubble_topology_health_port", 9181);
        vars.put("hubble_topology_remote_write_url", REMOTE_WRITE_URL);
        vars.put("hubble_topology_sink_extra_labels", "cluster=prod");
        vars.put("hubble_topology_processor_config", Map.of("kafka", Map.of("properties", Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "${env:KAFKA_SASL_JAAS_CONFIG}"))));
        vars.put("hubble_topology_processor_extra_env", Map.of("KAFKA_SASL_JAAS_CONFIG", JAAS));
        return vars;
    }

    /** The jar `mvn verify` packaged before the integration tests. */
    private static Path jar() {
        assertThat(JAR).as("the jar (mvn -pl deploy -am package)").exists();
        return JAR.toAbsolutePath();
    }

    private static Map<String, Boolean> etcState() {
        Map<String, Boolean> state = new LinkedHashMap<>();
        state.put("/etc/hubble-topology", Files.exists(Path.of("/etc/hubble-topology")));
        for (String role : ROLES) {
            String unit = "/etc/systemd/system/hubble-topology-" + role + ".service";
            state.put(unit, Files.exists(Path.of(unit)));
        }
        state.put("/usr/share/hubble-topology", Files.exists(Path.of("/usr/share/hubble-topology")));
        return state;
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
