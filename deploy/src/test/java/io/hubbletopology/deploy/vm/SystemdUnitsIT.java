package io.hubbletopology.deploy.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** systemd itself accepts every unit of deploy/systemd as written: no unknown key, no bad value. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SystemdUnitsIT {

    /** systemd-analyze rates the sandbox in tenths (0 safest, 100 unrestricted); 16 today. Above 20, a setting was lost. */
    private static final int MAX_EXPOSURE = 20;

    static List<SystemdUnit> units() {
        return SystemdUnit.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void systemdAnalyzeVerifiesTheUnit(SystemdUnit unit, @TempDir Path root) throws Exception {
        assertVerifies(new SystemdAnalyze(), unit.file(), root);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void theSandboxRatesAsLowExposure(SystemdUnit unit, @TempDir Path root) throws Exception {
        SystemdAnalyze.Result result = new SystemdAnalyze().security(unit.file(), root, MAX_EXPOSURE);
        assertThat(result.exitCode()).as("systemd-analyze security --offline " + unit + ":\n" + result.output()).isZero();
    }

    /**
     * Verify's warnings (an unknown key, a value it ignores) still exit 0: any line naming the unit fails too.
     * Lines about other units of the machine (the targets it pulls in) are not this test's business.
     */
    static void assertVerifies(SystemdAnalyze analyze, Path unit, Path root) throws Exception {
        assertThat(Files.readString(unit)).contains("ExecStart=" + SystemdUnit.JAVA + " ");
        SystemdAnalyze.Result result = analyze.verify(unit, root);
        String name = unit.getFileName().toString();
        assertThat(result.exitCode()).as("systemd-analyze verify " + name + ":\n" + result.output()).isZero();
        assertThat(result.output().lines().filter(l -> l.contains(name)).toList()).as("systemd-analyze verify " + name).isEmpty();
    }
}
